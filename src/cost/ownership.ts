// Whose machine is it? fal instances carry no owner label, only `creator_user_nickname`, so this
// VS Code remembers the ids it created and learns the nickname fal gives its creates. "Mine" =
// created here, or created under a nickname we learned or the user set in `fal.creatorNickname`.
// Only "created here" ever counts for auto-delete; the nickname match is for filtering and grouping.
import * as l10n from '@vscode/l10n';
import type { ComputeInstance } from '../api';
import { numberMap, saveToStore, storedObject } from './types';
import type { StoredState } from '../core/storedState';

export const OWNERSHIP_KEY = 'fal.ownership';
/** Created ids kept (most recent first); more than anyone creates in a year. */
const MAX_CREATED_IDS = 2000;
const MAX_NICKNAMES = 20;

interface Persisted {
  /** id → epoch ms of our create. */
  created: Record<string, number>;
  nicknames: string[];
}

export class Ownership {
  private data: Persisted;

  constructor(
    private readonly store: StoredState,
    private readonly onSaveError: (error: unknown) => void = () => undefined,
  ) {
    const source = storedObject(store, OWNERSHIP_KEY);
    const nicknames = Array.isArray(source.nicknames)
      ? source.nicknames.filter((n): n is string => typeof n === 'string' && n.trim() !== '')
      : [];
    this.data = { created: numberMap(source.created), nicknames };
  }

  /** Records an instance our own create returned (and learns its creator nickname). */
  recordCreate(instance: Pick<ComputeInstance, 'id' | 'creator_user_nickname'>, at: number): void {
    const created = { ...this.data.created, [instance.id]: at };
    const entries = Object.entries(created);
    if (entries.length > MAX_CREATED_IDS) {
      const oldest = entries.reduce((a, b) => (b[1] < a[1] ? b : a));
      delete created[oldest[0]];
    }
    const nick = instance.creator_user_nickname?.trim();
    const nicknames =
      nick && !this.data.nicknames.includes(nick)
        ? [nick, ...this.data.nicknames].slice(0, MAX_NICKNAMES)
        : this.data.nicknames;
    this.data = { created, nicknames };
    saveToStore(this.store, OWNERSHIP_KEY, this.data, this.onSaveError);
  }

  createdHere(instanceId: string): boolean {
    return Object.hasOwn(this.data.created, instanceId);
  }

  learnedNicknames(): readonly string[] {
    return this.data.nicknames;
  }

  /** The Mine filter. `configuredNickname` is `fal.creatorNickname` ('' when unset). */
  isMine(instance: Pick<ComputeInstance, 'id' | 'creator_user_nickname'>, configuredNickname = ''): boolean {
    if (this.createdHere(instance.id)) return true;
    const nick = instance.creator_user_nickname?.trim();
    if (!nick) return false;
    return nick === configuredNickname.trim() || this.data.nicknames.includes(nick);
  }
}

export interface CreatorGroup<T> {
  /** '' for the unknown-creator bucket. */
  readonly key: string;
  readonly label: string;
  readonly items: T[];
}

/** The label of the unknown-creator bucket, worded when it is shown. */
export const unknownCreatorLabel = (): string => l10n.t('unknown creator');

export function creatorKey(nickname: string | undefined): string {
  return nickname?.trim() ?? '';
}

/** Groups by creator nickname: named creators alphabetically, the unknown-creator bucket last. */
export function groupByCreator<T>(items: readonly T[], nicknameOf: (item: T) => string | undefined): CreatorGroup<T>[] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = creatorKey(nicknameOf(item));
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => ((a === '') !== (b === '') ? (a === '' ? 1 : -1) : a.localeCompare(b)))
    .map(([key, groupItems]) => ({ key, label: key || unknownCreatorLabel(), items: groupItems }));
}
