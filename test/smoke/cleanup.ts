// The end of every run that created something: the delete through the client, then proof that the
// machine is gone — a 404 on GET, or absent from the list — within a bound. A failed delete is sent
// again until the bound; the statuses fal shows in between are kept (fal does not document whether
// a deleted instance lingers).
import type { FalComputeClient } from '../../src/api';
import { errorMessage, isNotFound } from '../../src/core/apiFailures';

export interface GoneResult {
  readonly confirmed: boolean;
  /** How it was confirmed: `DELETE 404` (already gone), `GET 404`, `not listed`. */
  readonly via?: string;
  readonly deleteAttempts: number;
  /** When the first DELETE was sent, and when the machine was confirmed gone (epoch ms). */
  readonly deleteSentAt: number;
  readonly goneAt?: number;
  /** What GET said between the delete and the end, each change once (e.g. `200 stopped`). */
  readonly seenAfterDelete: readonly string[];
  readonly error?: string;
}

export interface CleanupOptions {
  readonly boundMs: number;
  readonly pollMs?: number;
  readonly say: (line: string) => void;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function deleteAndConfirm(
  client: Pick<FalComputeClient, 'deleteInstance' | 'getInstance' | 'listInstances'>,
  id: string,
  { boundMs, pollMs = 3_000, say }: CleanupOptions,
): Promise<GoneResult> {
  const deleteSentAt = Date.now();
  const deadline = deleteSentAt + boundMs;
  const seen: string[] = [];
  const note = (what: string) => {
    if (seen.at(-1) !== what) seen.push(what);
  };
  let deleteAttempts = 0;
  let error: string | undefined;
  for (;;) {
    deleteAttempts++;
    try {
      const { alreadyGone } = await client.deleteInstance(id);
      if (alreadyGone)
        return {
          confirmed: true,
          via: 'DELETE 404',
          deleteAttempts,
          deleteSentAt,
          goneAt: Date.now(),
          seenAfterDelete: seen,
        };
      say(`  fal accepted the delete of ${id}`);
      break;
    } catch (e) {
      error = errorMessage(e);
      if (Date.now() + 5_000 >= deadline)
        return { confirmed: false, deleteAttempts, deleteSentAt, seenAfterDelete: seen, error };
      say(`  the delete of ${id} failed (${error}); sending it again in 5 s`);
      await pause(5_000);
    }
  }
  while (Date.now() < deadline) {
    try {
      const instance = await client.getInstance(id);
      note(`GET 200 ${instance.status}`);
    } catch (e) {
      if (isNotFound(e))
        return {
          confirmed: true,
          via: 'GET 404',
          deleteAttempts,
          deleteSentAt,
          goneAt: Date.now(),
          seenAfterDelete: seen,
        };
      error = errorMessage(e);
      note(`GET failed: ${error}`);
    }
    try {
      const listing = await client.listInstances();
      const listed = listing.instances.some((i) => i.id === id) || listing.invalid.some((r) => r.id === id);
      if (!listed)
        return {
          confirmed: true,
          via: 'not listed',
          deleteAttempts,
          deleteSentAt,
          goneAt: Date.now(),
          seenAfterDelete: seen,
        };
    } catch (e) {
      error = errorMessage(e);
      note(`list failed: ${error}`);
    }
    say(`  ${id} still there (${seen.at(-1) ?? 'listed'}); asking again in ${pollMs / 1000} s`);
    await pause(Math.min(pollMs, Math.max(0, deadline - Date.now())));
  }
  return {
    confirmed: false,
    deleteAttempts,
    deleteSentAt,
    seenAfterDelete: seen,
    ...(error !== undefined && { error }),
  };
}
