// A running job makes its machine busy (issue 20 item 6): the idle signal the cost guard hears is the
// GPU view's, except that a machine where a job runs — or whose jobs are not known — is never idle,
// even while its GPUs wait on data loading. Unknown is never "no job": fail safe.
import type { Disposable, IdleSource } from './types';

export interface JobsBusy {
  /** Whether a job runs on the machine: undefined when its jobs were never read. */
  hasRunning(instanceId: string): boolean | undefined;
  /** Fires with an instance whose jobs changed. */
  onDidChange(listener: (instanceId: string) => void): Disposable;
}

export function busyAwareIdle(idle: IdleSource, jobs: JobsBusy): IdleSource {
  return {
    idleSince: (id) => (jobs.hasRunning(id) === false ? idle.idleSince(id) : undefined),
    onDidChangeIdle: (listener) => {
      const gpu = idle.onDidChangeIdle(listener);
      const job = jobs.onDidChange(listener);
      return {
        dispose: () => {
          gpu.dispose();
          job.dispose();
        },
      };
    },
  };
}
