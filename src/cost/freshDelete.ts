// The auto-delete's way to the DELETE request, after the guard's own checks passed: a fresh look
// at what fal says now, then the one delete path. Every `await` on the way is a moment in which
// the user may press Protect, a GPU process may start or a setting may change, so the gate is
// asked again after each one, and the delete path asks it once more right before the request is
// sent (no `await` in between): nothing can slip between the last check and the DELETE. The
// request is sent once: a retry could not be checked honestly, since the GPU sampler stops
// looking at a row marked "deleting…", so its idleness would no longer be known.
import * as l10n from '@vscode/l10n';
import { errorText } from '../base/errorText';
import { FalApiError, type ComputeInstance } from '../api';
import { errorMessage } from '../core/apiFailures';
import { statusLook } from '../core/status';

/** How the one delete path asks the auto-delete whether it may still go ahead. */
export interface DeleteGate {
  /** Why deleting now would be wrong, or undefined. */
  check(): string | undefined;
  /**
   * Called right before the DELETE request is sent: throws DeleteRefused (and nothing is sent)
   * when there is a reason to stop; otherwise records that a delete was sent.
   */
  beforeSend(): void;
}

/** A delete that was not sent because a reason to stop appeared. Not a failure of the request. */
export class DeleteRefused extends Error {
  override readonly name = 'DeleteRefused';
}

export function passGate(reason: string | undefined): void {
  if (reason !== undefined) throw new DeleteRefused(reason);
}

export interface FreshDeleteDeps<C extends { getInstance(id: string): Promise<ComputeInstance> }> {
  /** The instance as the list showed it when the guard judged it; undefined when no longer listed. */
  listed(id: string): ComputeInstance | undefined;
  requireClient(): Promise<C>;
  /** The one delete path (the Delete command's): `gate.beforeSend` right before the request, sent once. */
  send(client: C, id: string, gate: DeleteGate): Promise<void>;
}

/**
 * Deletes `id` only if fal still says it is the ready machine the guard judged (same address and
 * type) and the gate has no reason against it after every step. Throws DeleteRefused when it did
 * not send the request for a reason; any other error is the request's own failure.
 */
export async function deleteAfterFreshLook<C extends { getInstance(id: string): Promise<ComputeInstance> }>(
  deps: FreshDeleteDeps<C>,
  id: string,
  gate: DeleteGate,
): Promise<void> {
  passGate(gate.check());
  const judged = deps.listed(id);
  if (!judged) throw new DeleteRefused(l10n.t('it is no longer listed'));
  let client: C;
  try {
    client = await deps.requireClient();
  } catch (error) {
    // Signed out, or the key was rejected meanwhile: the session's own words say which.
    throw new DeleteRefused(l10n.t`fal could not be asked about it first: ${errorText(error)}`);
  }
  passGate(gate.check());
  let fresh: ComputeInstance;
  try {
    fresh = await client.getInstance(id);
  } catch (error) {
    if (error instanceof FalApiError && error.status === 404)
      throw new DeleteRefused(l10n.t('fal says it is already gone (404)'));
    // Nothing was sent: not knowing what fal says now is a reason not to delete, not a failed delete.
    throw new DeleteRefused(l10n.t`fal could not be asked about it first: ${errorMessage(error)}`);
  }
  if (statusLook(fresh.status).kind !== 'ready')
    throw new DeleteRefused(l10n.t`fal now says it is ${fresh.status}, not ready`);
  if (fresh.ip !== judged.ip || fresh.instance_type !== judged.instance_type)
    throw new DeleteRefused(l10n.t('fal now reports another address or type for it'));
  passGate(gate.check());
  await deps.send(client, id, gate);
}
