// What the create wizard works with and produces. Pure (no `vscode`).
import type { InstanceType, Sector } from '../api/schemas';
import { INSTANCE_TYPES, SECTORS } from '../api/schemas';
import type { BudgetProjection } from '../cost';
import type { FoundKey, ParsedPublicKey } from '../ssh';
import type { WizardUi } from './wizardUi';

/** Arguments of the `fal.createInstance` command (e.g. from a keybinding): each one skips its step. */
export interface CreateArgs {
  instanceType?: string;
  /** `sector_1`…`sector_3`, or `default` (or null) for default placement. 8x only. */
  sector?: string | null;
  /** A `.pub` file to use without asking. */
  sshPublicKeyPath?: string;
  /** The name to give the instance (kept in VS Code; '' for none). */
  name?: string;
}

export type KeyChoice =
  | {
      readonly kind: 'existing';
      readonly parsed: ParsedPublicKey;
      readonly source: string;
      readonly privateKeyPath?: string;
    }
  | { readonly kind: 'generate' };

export interface CreatePlan {
  readonly instanceType: InstanceType;
  readonly sector?: Sector;
  readonly key: KeyChoice;
  /** The user's name for the new instance (kept in VS Code, not sent to fal). */
  readonly name?: string;
  /** Delete after this many hours (a lease kept by VS Code); absent: keep until deleted. */
  readonly leaseHours?: number;
}

export interface CreateWizardDeps {
  readonly ui: WizardUi;
  readonly hourlyUsd: Readonly<Record<string, number>>;
  /** The type chosen last time: focused first. */
  readonly lastInstanceType?: string;
  /** ~/.ssh, where generated keys go and Browse… starts. */
  readonly sshDir: string;
  /** How to show sshDir (e.g. `~/.ssh`). */
  readonly sshDirShown?: string;
  /** The name proposed for the new instance (from the workspace folder); the user may change or clear it. */
  readonly defaultName?: string;
  /** `fal.lease.defaultHours`: what Delete after proposes (0: keep until deleted). */
  readonly defaultLeaseHours?: number;
  /** The clock, for "deletes about 18:30" beside each Delete after choice. */
  now?(): number;
  /** The user's public keys, newest first (listPublicKeys). */
  listKeys(): Promise<readonly FoundKey[]>;
  readFile(path: string): Promise<string>;
  fileExists(path: string): Promise<boolean>;
  /** The month's projected total with this create (fal.budget.monthlyUsd), for the confirm step. */
  projectMonth?(instanceType: InstanceType): BudgetProjection;
}

/** The answers so far. */
export interface State {
  instanceType?: InstanceType;
  /** null: default placement chosen. */
  sector?: Sector | null;
  key?: KeyChoice;
  /** null: no name, chosen. undefined: the proposed name. */
  name?: string | null;
  /** Delete after, in hours (0: keep). undefined: the default. */
  leaseHours?: number;
}

export const isInstanceType = (v: unknown): v is InstanceType => (INSTANCE_TYPES as readonly unknown[]).includes(v);
export const isSector = (v: unknown): v is Sector => (SECTORS as readonly unknown[]).includes(v);
