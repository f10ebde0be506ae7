// What this VS Code remembers of jobs, beside what the machine says: what a job started here asked
// for at its end (a task's results and deleteWhenDone), where its log terminal stopped (so a reload
// continues there), and the command last run per workspace folder. Bounded: the oldest go first.
import type { StoredState } from '../core/storedState';
import type { DeleteWhenDone } from '../jobs/taskDefinition';
import type { ResumePoint } from '../setup/logFollower';

const MAX_ENTRIES = 200;

export interface StartedJob {
  readonly name: string;
  readonly results?: readonly string[];
  readonly deleteWhenDone: DeleteWhenDone;
}

export function jobKey(id: string, jobId: string): string {
  return `${id}/${jobId}`;
}

export class JobBook {
  constructor(
    private readonly stored: StoredState,
    private readonly onSaveError: (error: unknown) => void,
  ) {}

  started(id: string, jobId: string): StartedJob | undefined {
    const all = this.stored.get('fal.jobs.started');
    const key = jobKey(id, jobId);
    return Object.hasOwn(all, key) ? all[key] : undefined;
  }

  recordStart(id: string, jobId: string, job: StartedJob): Promise<void> {
    return this.put('fal.jobs.started', jobKey(id, jobId), { ...job, results: job.results && [...job.results] });
  }

  resumeAt(key: string): ResumePoint | undefined {
    const all = this.stored.get('fal.jobs.resume');
    return Object.hasOwn(all, key) ? all[key] : undefined;
  }

  setResumeAt(key: string, point: ResumePoint): void {
    const before = this.resumeAt(key);
    if (before?.runId === point.runId && before.offset === point.offset) return;
    void this.put('fal.jobs.resume', key, { runId: point.runId, offset: point.offset });
  }

  lastCommand(folderUri: string): string | undefined {
    const all = this.stored.get('fal.jobs.lastCommand');
    return Object.hasOwn(all, folderUri) ? all[folderUri] : undefined;
  }

  setLastCommand(folderUri: string, command: string): void {
    void this.put('fal.jobs.lastCommand', folderUri, command);
  }

  private put<K extends 'fal.jobs.started' | 'fal.jobs.resume' | 'fal.jobs.lastCommand'>(
    storedKey: K,
    key: string,
    value: unknown,
  ): Promise<void> {
    const entries = Object.entries(this.stored.get(storedKey) as Record<string, unknown>).filter(([k]) => k !== key);
    const kept = Object.fromEntries([...entries.slice(-(MAX_ENTRIES - 1)), [key, value]]);
    return this.stored.update(storedKey, kept as never).then(undefined, this.onSaveError);
  }
}
