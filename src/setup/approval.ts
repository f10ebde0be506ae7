// A setup script comes from whatever repository was opened, so a given content runs only after the
// user has seen it and said yes; the yes is remembered by the sha256 of the exact bytes, so an edit
// (one byte) asks again and the same file in another clone does not. The VS Code side backs the
// store with global state (a key of core/storedKeys.ts).
import type { SetupScript } from './setupSource';

/** Approved script hashes, most recent last. */
export interface ApprovedScriptsStore {
  get(): readonly string[];
  set(hashes: readonly string[]): PromiseLike<void> | void;
}

/** How many approvals are remembered: the oldest is forgotten first (it is asked again, never run unasked). */
export const MAX_APPROVALS = 200;

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** The stored hashes that are hashes at all: a hand-edited or damaged value approves nothing. */
function approvedHashes(store: ApprovedScriptsStore): string[] {
  const stored: unknown = store.get();
  if (!Array.isArray(stored)) return [];
  return stored.filter((h): h is string => typeof h === 'string' && SHA256_HEX.test(h));
}

/** Must the user see and approve `script` before it runs? */
export function needsApproval(store: ApprovedScriptsStore, script: SetupScript): boolean {
  return !approvedHashes(store).includes(script.sha256);
}

/** Remembers that the user approved `script`'s exact content. */
export async function approve(store: ApprovedScriptsStore, script: SetupScript): Promise<void> {
  if (!SHA256_HEX.test(script.sha256)) return;
  const kept = approvedHashes(store).filter((h) => h !== script.sha256);
  await store.set([...kept, script.sha256].slice(-MAX_APPROVALS));
}

/** Forgets an approval (the user said no after all, or asked to be asked again). */
export async function revokeApproval(store: ApprovedScriptsStore, script: SetupScript): Promise<void> {
  await store.set(approvedHashes(store).filter((h) => h !== script.sha256));
}
