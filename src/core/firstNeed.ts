// When the features that activation leaves out (GPU sampling, the cost guard, spend and the
// reports, jobs, setup, the workspace sync, ports: src/features.ts) are first needed without being
// asked for by a command: as soon as they could show or do anything. Before fal has answered there
// is no instance to sample, guard, bill or set up, and the status bar has nothing of theirs to
// show — unless a monthly budget is set, whose share the status bar shows from the start.
import type { LoadState } from './instancesModel';

export interface NeedSignals {
  /** The instances list's state (what fal answered last, if anything). */
  readonly state: LoadState['kind'];
  /** Rows listed now. */
  readonly rows: number;
  /** fal.budget.monthlyUsd, when set. */
  readonly monthlyBudgetUsd: number | undefined;
}

export function featuresNeeded(s: NeedSignals): boolean {
  const answered = s.state === 'loaded' || s.state === 'error' || s.state === 'keyRejected';
  return answered || s.rows > 0 || s.monthlyBudgetUsd !== undefined;
}
