// What this VS Code remembers of jobs, beside what the machine says: what a job started here asked
// for at its end (a task's results and deleteWhenDone), where its log terminal stopped (so a reload
// continues there), and the command last run per workspace folder. Bounded: the oldest go first.
import type { Timers } from '../base/timers';
import type { StoredState } from '../core/storedState';
import type { DeleteWhenDone } from '../jobs/taskDefinition';
import type { ResumePoint } from '../setup/logFollower';

const MAX_ENTRIES = 200;
/**
 * A streaming log moves its place several times a second, and each write stores (and the next read
 * parses) every entry again: while it streams, the place is stored at most this often. A terminal
 * closed, a job ended or the window closing stores it at once, so a reload shows nothing twice.
 */
const RESUME_WRITE_MS = 2_000;

export interface StartedJob {
  readonly name: string;
  readonly results?: readonly string[];
  readonly deleteWhenDone: DeleteWhenDone;
}

type StoredMap = 'fal.jobs.started' | 'fal.jobs.resume' | 'fal.jobs.lastCommand';

export function jobKey(id: string, jobId: string): string {
  return `${id}/${jobId}`;
}

export class JobBook {
  /** Places not stored yet: read before what is stored. */
  private readonly unsavedResume = new Map<string, ResumePoint>();
  private resumeWrite: unknown;

  constructor(
    private readonly stored: StoredState,
    private readonly timers: Timers,
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
    const unsaved = this.unsavedResume.get(key);
    if (unsaved) return unsaved;
    const all = this.stored.get('fal.jobs.resume');
    return Object.hasOwn(all, key) ? all[key] : undefined;
  }

  /** `settled`: the terminal closed or the log ended, so the place is stored now, not with the next batch. */
  setResumeAt(key: string, point: ResumePoint, settled: boolean): void {
    const before = this.resumeAt(key);
    if (before?.runId !== point.runId || before.offset !== point.offset)
      this.unsavedResume.set(key, { runId: point.runId, offset: point.offset });
    if (this.unsavedResume.size === 0) return;
    if (settled) return void this.saveResume();
    this.resumeWrite ??= this.timers.setTimeout(() => void this.saveResume(), RESUME_WRITE_MS);
  }

  /** Stores every place not stored yet, in one write (also when the window closes). */
  saveResume(): Promise<void> {
    if (this.resumeWrite !== undefined) this.timers.clearTimeout(this.resumeWrite);
    this.resumeWrite = undefined;
    if (this.unsavedResume.size === 0) return Promise.resolve();
    const unsaved = [...this.unsavedResume];
    this.unsavedResume.clear();
    return this.putAll('fal.jobs.resume', unsaved);
  }

  lastCommand(folderUri: string): string | undefined {
    const all = this.stored.get('fal.jobs.lastCommand');
    return Object.hasOwn(all, folderUri) ? all[folderUri] : undefined;
  }

  setLastCommand(folderUri: string, command: string): void {
    void this.put('fal.jobs.lastCommand', folderUri, command);
  }

  private put<K extends StoredMap>(storedKey: K, key: string, value: unknown): Promise<void> {
    return this.putAll(storedKey, [[key, value]]);
  }

  private putAll<K extends StoredMap>(storedKey: K, changed: readonly (readonly [string, unknown])[]): Promise<void> {
    const changedKeys = new Set(changed.map(([k]) => k));
    const entries = Object.entries(this.stored.get(storedKey) as Record<string, unknown>).filter(
      ([k]) => !changedKeys.has(k),
    );
    const kept = Object.fromEntries([...entries, ...changed].slice(-MAX_ENTRIES));
    return this.stored.update(storedKey, kept as never).then(undefined, this.onSaveError);
  }
}
