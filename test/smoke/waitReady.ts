// The wait for "ready" exactly as the extension waits after a create (src/commands/createRun.ts):
// the create's answer put in the InstancesModel, the RefreshScheduler — the extension's only
// poller — held in its waiting mode (asking every second) with InstancesSync fetching through the
// same client, and waitForInstance resolving on the model change that settles the instance. A 401
// or 403 on the way ends it the way the session does (the model's key rejected, polling off).
import type { ComputeInstance, FalComputeClient } from '../../src/api';
import { now } from '../../src/base/timers';
import type { KeyRejection } from '../../src/core/apiFailures';
import { waitForInstance, type WaitOutcome } from '../../src/core/instanceWait';
import { InstancesModel } from '../../src/core/instancesModel';
import { InstancesSync } from '../../src/core/instancesSync';
import { RefreshScheduler } from '../../src/core/refreshScheduler';

/** The extension's page size (PAGE_SIZE in src/auth/falClient.ts, a floor this script may not import). */
export const PAGE_SIZE = 100;
/** The defaults of fal.refresh.fastIntervalSeconds and slowIntervalSeconds (src/settings.ts). */
const FAST_MS = 3_000;
const SLOW_MS = 60_000;

export interface ReadyWait {
  readonly outcome: WaitOutcome;
  /** Set when fal refused the key while waiting (the outcome is then `noKey`). */
  readonly rejection?: KeyRejection;
}

export async function waitUntilReady(
  client: Pick<FalComputeClient, 'listInstances' | 'getInstance'>,
  created: ComputeInstance,
  options: { signal: AbortSignal; say: (line: string) => void; onStatus: (status: string) => void },
): Promise<ReadyWait> {
  const { signal, say, onStatus } = options;
  let rejection: KeyRejection | undefined;
  let firstSeen: Record<string, number> = {};
  const model = new InstancesModel({ get: () => firstSeen, set: (v) => void (firstSeen = v) }, (e) =>
    say(`  a listener of the model failed: ${String(e)}`),
  );
  const sync = new InstancesSync({
    model,
    client: () => Promise.resolve(client),
    pageSize: PAGE_SIZE,
    now,
    onKeyRejected: (r) => {
      rejection = r;
      model.rejectKey(r);
      scheduler.setEnabled(false);
    },
    log: { warn: (message) => say(`  ${message}`) },
  });
  const scheduler = new RefreshScheduler({
    fetch: (kind, ids) => sync.fetch(kind, ids),
    fastMs: FAST_MS,
    slowMs: SLOW_MS,
  });
  model.setLoading();
  model.update([created], [], now());
  const endWaiting = scheduler.beginOperation({ waitingFor: created.id });
  scheduler.setFocused(true);
  scheduler.setEnabled(true);
  try {
    const outcome = await waitForInstance(model, created.id, {
      signal,
      onProgress: (record) => onStatus(record.instance.status),
    });
    return { outcome, ...(rejection && { rejection }) };
  } finally {
    endWaiting();
    scheduler.dispose();
  }
}
