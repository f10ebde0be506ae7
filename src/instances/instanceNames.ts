// The names the user gave instances (Rename…, the create wizard), kept in VS Code's global state
// per fal account: the same instance id under another key is another account's machine. The
// account is a hash of the key's id part (FalSession.account), so not even the id of a key is
// written to disk. No runtime `vscode` import: unit-testable in plain node.
import { Emitter } from '../base/emitter';
import { cleanName } from '../core/instanceName';
import type { StoredState } from '../core/storedState';

type Names = Record<string, Record<string, string>>;

/** What views and messages need: the name of an instance, if it has one. */
export interface NameLookup {
  get(instanceId: string): string | undefined;
}

export class InstanceNames implements NameLookup {
  private readonly changes = new Emitter<readonly string[] | undefined>();
  /** Fires with the ids whose names changed; undefined: any name may have changed. */
  readonly onDidChange = this.changes.event;

  constructor(
    private readonly stored: StoredState,
    /** The current account (undefined while signed out: no names are shown or kept). */
    private readonly account: () => string | undefined,
  ) {}

  get(instanceId: string): string | undefined {
    const account = this.account();
    // Cleaned on the way out too: global state is a file another program may have written.
    return account ? cleanName(this.all()[account]?.[instanceId]) : undefined;
  }

  /** Every named instance id of the current account. */
  ids(): string[] {
    const account = this.account();
    return account ? Object.keys(this.all()[account] ?? {}) : [];
  }

  /** Sets (or, with an empty name, removes) the name of an instance of the current account. */
  async set(instanceId: string, name: string | undefined): Promise<void> {
    const account = this.account();
    if (!account) return;
    const clean = cleanName(name);
    const all = this.all();
    const { [instanceId]: _old, ...others } = all[account] ?? {};
    const mine = clean ? { ...others, [instanceId]: clean } : others;
    await this.stored.update('fal.instanceNames', { ...all, [account]: mine });
    this.changes.fire([instanceId]);
  }

  /** Forgets the names of instances that no longer exist (of the current account only). */
  async forget(instanceIds: readonly string[]): Promise<void> {
    const account = this.account();
    const all = this.all();
    const mine = account ? all[account] : undefined;
    if (!account || !mine || !instanceIds.some((id) => Object.hasOwn(mine, id))) return;
    const kept = Object.fromEntries(Object.entries(mine).filter(([id]) => !instanceIds.includes(id)));
    await this.stored.update('fal.instanceNames', { ...all, [account]: kept });
    this.changes.fire(instanceIds);
  }

  /** The account changed (another key): every name may read differently now. */
  accountChanged(): void {
    this.changes.fire(undefined);
  }

  private all(): Names {
    return this.stored.get('fal.instanceNames');
  }
}
