// Builds API clients for the extension: the base URL from settings, every request logged as
// method, path, status and duration — never headers, bodies or the key.
import type * as vscode from 'vscode';
import { FalComputeClient, type RequestLogEntry } from '../api';

/** Instances per page of a list (also what InstancesSync counts pages with). */
export const PAGE_SIZE = 100;

/** The calls the extension makes; every one goes through FalSession's rejection check. */
export type FalApi = Pick<
  FalComputeClient,
  'listInstances' | 'getInstance' | 'createInstance' | 'deleteInstance' | 'getAccountBilling'
>;

export function createFalClient(
  apiKey: string,
  baseUrl: string,
  log: vscode.LogOutputChannel,
  version: string,
): FalComputeClient {
  return new FalComputeClient({
    apiKey,
    baseUrl,
    pageSize: PAGE_SIZE,
    userAgent: `fal-compute-vscode/${version}`,
    onRequest: (entry: RequestLogEntry) => logRequest(log, entry),
  });
}

function logRequest(log: vscode.LogOutputChannel, e: RequestLogEntry): void {
  // l10n-exempt: a log line only (logged just below)
  const line = `${e.method} ${e.path} → ${e.status ?? e.outcome} in ${Math.round(e.durationMs)} ms${e.attempt > 1 ? ` (attempt ${e.attempt})` : ''}`;
  if (e.outcome === 'ok') log.info(line);
  else log.warn(line);
}

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
