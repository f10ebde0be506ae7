// After fal answered a delete, the instance may stay listed for a while (undocumented either way;
// the emulator's `deleteLagMs` guesses it). Until every deleted instance is gone from the list, this
// holds the refresh scheduler in fast mode (beginOperation: the scheduler stays the only poller) —
// at most `limitMs`; then the rows say that fal still lists them, and so does the log.
import type { Timers } from '../base/timers';
import type { InstancesModel } from './instancesModel';
import type { RefreshScheduler } from './refreshScheduler';

/** How long fast polling follows a deleted instance that fal keeps listing. */
export const DELETE_LAG_LIMIT_MS = 5 * 60_000;

export interface DeletionWatchOptions {
  readonly model: InstancesModel;
  readonly scheduler: Pick<RefreshScheduler, 'beginOperation'>;
  readonly timers: Timers;
  readonly log: { info(message: string): void; warn(message: string): void };
  readonly limitMs?: number;
}

export class DeletionWatch {
  private readonly active = new Set<() => void>();

  constructor(private readonly options: DeletionWatchOptions) {}

  /** fal answered the delete of `ids`: fast refreshes until none of them is listed, or the limit. */
  watch(ids: readonly string[]): void {
    const { model, scheduler, timers, log } = this.options;
    const limitMs = this.options.limitMs ?? DELETE_LAG_LIMIT_MS;
    const left = new Set(ids.filter((id) => model.get(id)));
    if (left.size === 0) return;
    const started = timers.now();
    const release = scheduler.beginOperation();
    let finished = false;
    const finish = (stalled: boolean) => {
      if (finished) return;
      finished = true;
      subscription.dispose();
      timers.clearTimeout(timer);
      release();
      this.active.delete(stop);
      const seconds = Math.round((timers.now() - started) / 1000);
      if (!stalled) {
        log.info(
          `Deleted instance${ids.length === 1 ? '' : 's'} ${ids.join(', ')} no longer listed by fal (after ${seconds} s)`,
        );
        return;
      }
      const still = [...left];
      model.markDeleteStalled(still);
      log.warn(
        `fal still lists ${still.join(', ')} ${Math.round(limitMs / 60_000)} min after answering the delete. ` +
          'Back to the normal refresh pace; refresh to check again, or delete it again if it stays.',
      );
    };
    const check = () => {
      for (const id of left) if (!model.get(id)?.deleting) left.delete(id);
      if (left.size === 0) finish(false);
    };
    const stop = () => finish(false);
    const subscription = model.onDidChange(check);
    const timer = timers.setTimeout(() => finish(true), limitMs);
    this.active.add(stop);
    check();
  }

  dispose(): void {
    for (const stop of [...this.active]) stop();
  }
}
