// Waiting for an instance to settle by watching the model, never by polling: whoever waits holds
// the refresh scheduler in fast mode (beginOperation) and this resolves on the model change that
// settles it. So a wait honours the scheduler's back-off and Retry-After like everything else.
import type { InstanceRecord, InstancesModel } from './instancesModel';
import { isTransitional } from './status';

export type WaitOutcome =
  /** Ready with an IP, or in a state it will not leave by itself (stopped, unknown, …). */
  | { readonly kind: 'settled'; readonly record: InstanceRecord }
  /** Listed before, and no longer: deleted. */
  | { readonly kind: 'gone' }
  /** Signed out, or fal rejected the key: nothing can be known about it any more. */
  | { readonly kind: 'noKey' };

/** Ready with an address, or not on its way anywhere. */
function isSettled(record: InstanceRecord): boolean {
  const { status, ip } = record.instance;
  return status === 'ready' ? Boolean(ip) : !isTransitional(status);
}

/**
 * Resolves once the instance `id` is settled, gone, or the key is lost; rejects with the signal's
 * reason when it aborts. `onProgress` sees every change of the instance meanwhile.
 */
export function waitForInstance(
  model: InstancesModel,
  id: string,
  options: { signal?: AbortSignal; onProgress?: (record: InstanceRecord) => void } = {},
): Promise<WaitOutcome> {
  const { signal, onProgress } = options;
  return new Promise<WaitOutcome>((resolve, reject) => {
    let seen = false;
    let last: InstanceRecord | undefined;
    const finish = (outcome: WaitOutcome | { error: unknown }) => {
      subscription.dispose();
      signal?.removeEventListener('abort', onAbort);
      if ('error' in outcome) reject(outcome.error);
      else resolve(outcome);
    };
    const onAbort = () => finish({ error: signal?.reason });
    const check = () => {
      const state = model.state.kind;
      if (state === 'signedOut' || state === 'keyRejected') return finish({ kind: 'noKey' });
      const record = model.get(id);
      if (!record) {
        if (seen) finish({ kind: 'gone' });
        return;
      }
      seen = true;
      if (isSettled(record)) return finish({ kind: 'settled', record });
      if (record !== last) onProgress?.(record);
      last = record;
    };
    const subscription = model.onDidChange(check);
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    check();
  });
}
