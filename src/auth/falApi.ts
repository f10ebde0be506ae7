// The calls the extension makes to fal, and the one auth interceptor around them — apart from the
// client that makes them (falClient.ts), which activation does not load: it comes with the first request.
import type { FalComputeClient } from '../api/client';

/** Instances per page of a list (also what InstancesSync counts pages with). */
export const PAGE_SIZE = 100;

/** The calls the extension makes; every one goes through FalSession's rejection check. */
export type FalApi = Pick<
  FalComputeClient,
  'listInstances' | 'getInstance' | 'createInstance' | 'deleteInstance' | 'getAccountBilling'
>;

/** The same calls, each reporting a failure to `onError` before it reaches the caller (the one auth interceptor). */
export function interceptErrors(client: FalApi, onError: (error: unknown) => void): FalApi {
  const guard =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await call(...args);
      } catch (error) {
        onError(error);
        throw error;
      }
    };
  return {
    listInstances: guard((...a: Parameters<FalApi['listInstances']>) => client.listInstances(...a)),
    getInstance: guard((...a: Parameters<FalApi['getInstance']>) => client.getInstance(...a)),
    createInstance: guard((...a: Parameters<FalApi['createInstance']>) => client.createInstance(...a)),
    deleteInstance: guard((...a: Parameters<FalApi['deleteInstance']>) => client.deleteInstance(...a)),
    // A 403/404 on billing is returned, not thrown (api/billing.ts): only a 401 or the like reaches onError.
    getAccountBilling: guard((...a: Parameters<FalApi['getAccountBilling']>) => client.getAccountBilling(...a)),
  };
}
