// Which of the things we remember per instance (host entries, key files, the user's names) belong
// to an instance that is gone, list after list: the bookkeeping the pruners share. An id is gone
// when a successful full list lacks it after an earlier list of this session had it, or when the
// first list lacks it (what an earlier session left). An id no list has shown since the first may
// be an instance created while a list was in flight: it stays.

/** One list's rule, fixed when the list arrives: a prune queued behind others judges by its own list. */
export interface GoneRule {
  readonly firstList: boolean;
  readonly listed: ReadonlySet<string>;
  /** The ids the earlier lists of this session had. */
  readonly seen: ReadonlySet<string>;
  /** Which of `candidates` are gone, each once. */
  gone(candidates: Iterable<string>): string[];
}

export class GoneTracker {
  private seen = new Set<string>();
  private firstList = true;
  private queue: Promise<void> = Promise.resolve();

  /** Starts over: the next list is a first list (another account's instances). */
  reset(): void {
    this.seen = new Set();
    this.firstList = true;
  }

  /** A successful full list (never a failed or partial one): records it and returns its rule. */
  list(ids: Iterable<string>): GoneRule {
    const listed = new Set(ids);
    const seen = new Set(this.seen);
    const firstList = this.firstList;
    this.firstList = false;
    for (const id of listed) this.seen.add(id);
    return {
      firstList,
      listed,
      seen,
      gone: (candidates) => [...new Set(candidates)].filter((id) => !listed.has(id) && (firstList || seen.has(id))),
    };
  }

  /** Runs `prune` after the prunes queued before it, one at a time; a failure goes to `onError`, the next still runs. */
  enqueue(prune: () => Promise<void>, onError: (error: unknown) => void): void {
    this.queue = this.queue.then(prune).catch(onError);
  }
}
