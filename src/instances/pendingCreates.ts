// Creates that were sent but not yet confirmed, kept in the extension's global state so that a
// window reload in the middle of a create can finish it with the SAME Idempotency-Key (fal keeps a
// key's outcome for 10 minutes) instead of leaving the user unsure — and never starting a second
// machine. No runtime `vscode` import: unit- and extension-host-testable.
import type { ComputeInstance, CreateInstanceInput, FalComputeClient } from '../api';
import { FalError } from '../api';
import { abortAfter, realTimers, type Deadline, type Timers } from '../base/timers';
import type { StoredState } from '../core/storedState';

/** Replays start only this long after the first attempt: inside fal's 10-minute window, with margin. */
export const REPLAY_WINDOW_MS = 9 * 60_000;

export interface PendingCreate {
  readonly idempotencyKey: string;
  readonly input: CreateInstanceInput;
  /** The private key of the public key sent, recorded for Connect once the instance id is known. */
  readonly privateKeyPath?: string;
  /** The user's name for the instance, recorded once its id is known. */
  readonly name?: string;
  /** The wizard's Delete after (hours), started once the create is confirmed. */
  readonly leaseHours?: number;
  /** Epoch ms of the first attempt. */
  readonly startedAt: number;
}

export class PendingCreates {
  constructor(private readonly stored: StoredState) {}

  list(): PendingCreate[] {
    return Object.values(this.stored.get('fal.pendingCreates'));
  }

  async save(pending: PendingCreate): Promise<void> {
    const all = this.stored.get('fal.pendingCreates');
    await this.stored.update('fal.pendingCreates', { ...all, [pending.idempotencyKey]: pending });
  }

  async clear(idempotencyKey: string): Promise<void> {
    const { [idempotencyKey]: _gone, ...rest } = this.stored.get('fal.pendingCreates');
    await this.stored.update('fal.pendingCreates', rest);
  }
}

/** A deadline at the close of the replay window of a pending create. */
export function windowDeadline(pending: PendingCreate, timers: Timers): Deadline {
  return abortAfter(timers, Math.max(0, pending.startedAt + REPLAY_WINDOW_MS - timers.now()));
}

export type ReconcileOutcome =
  | { readonly kind: 'created'; readonly pending: PendingCreate; readonly instance: ComputeInstance }
  | { readonly kind: 'expired'; readonly pending: PendingCreate }
  /** fal may have started it: kept, to be resumed with the same key while the window lasts. */
  | { readonly kind: 'unresolved'; readonly pending: PendingCreate; readonly error: unknown }
  | { readonly kind: 'failed'; readonly pending: PendingCreate; readonly error: unknown };

export interface ReconcileDeps {
  readonly pending: PendingCreates;
  readonly client: Pick<FalComputeClient, 'createInstance'>;
  /** Records instanceId → private key path (InstanceKeyStore.set). */
  rememberKey(instanceId: string, privateKeyPath: string): Promise<void>;
  /** Records instanceId → the user's name (InstanceNames.set). */
  rememberName?(instanceId: string, name: string): Promise<void>;
  readonly timers?: Timers;
}

/**
 * Finishes every pending create: younger than REPLAY_WINDOW_MS → the same body is sent again with
 * the same Idempotency-Key (fal answers with the instance of the first request, or creates it if the
 * first never arrived: exactly one either way); older → dropped, the caller tells the user to check
 * the list. An entry is cleared once settled; one whose outcome is still unknown (no usable answer)
 * stays, so it is only ever resumed with its own key — never sent anew with a new one.
 */
export async function reconcilePendingCreates(deps: ReconcileDeps): Promise<ReconcileOutcome[]> {
  const timers = deps.timers ?? realTimers;
  const outcomes: ReconcileOutcome[] = [];
  for (const pending of deps.pending.list()) {
    if (timers.now() - pending.startedAt >= REPLAY_WINDOW_MS) {
      await deps.pending.clear(pending.idempotencyKey);
      outcomes.push({ kind: 'expired', pending });
      continue;
    }
    const window = windowDeadline(pending, timers);
    try {
      const instance = await deps.client.createInstance(pending.input, {
        idempotencyKey: pending.idempotencyKey,
        signal: window.signal,
      });
      if (pending.privateKeyPath) await deps.rememberKey(instance.id, pending.privateKeyPath);
      if (pending.name) await deps.rememberName?.(instance.id, pending.name);
      await deps.pending.clear(pending.idempotencyKey);
      outcomes.push({ kind: 'created', pending, instance });
    } catch (error) {
      if (outcomeUnknown(error)) {
        outcomes.push({ kind: 'unresolved', pending, error });
        continue;
      }
      await deps.pending.clear(pending.idempotencyKey);
      outcomes.push({ kind: 'failed', pending, error });
    } finally {
      window.clear();
    }
  }
  return outcomes;
}

/** Whether fal may have started the machine although the create failed (see FalError.outcomeUnknown). */
export function outcomeUnknown(error: unknown): boolean {
  return error instanceof FalError && error.outcomeUnknown;
}
