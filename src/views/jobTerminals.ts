// A job's log in a VS Code terminal named after the job: LogTerminals with its place kept in the
// JobBook, so reopening it — after closing it, a dropped network or a reload — continues from the
// byte where it stopped, and a job that ended meanwhile shows the rest and its end.
import * as l10n from '@vscode/l10n';
import type * as vscode from 'vscode';
import type { SshTarget } from '../connections/types';
import { jobKey, type JobBook } from '../instances/jobBook';
import type { JobsWatcher } from '../jobs/jobsWatcher';
import { jobOutcomeText, lostDetail } from '../jobs/jobWords';
import type { JobAnswer } from '../jobs/types';
import { LogTerminals } from './logTerminals';

export class JobTerminals implements vscode.Disposable {
  private readonly terminals: LogTerminals;

  constructor(
    private readonly watcher: Pick<JobsWatcher, 'lend'>,
    private readonly book: JobBook,
    log: vscode.LogOutputChannel,
  ) {
    this.terminals = new LogTerminals(log, {
      get: (k) => book.resumeAt(k),
      set: (k, p, settled) => book.setResumeAt(k, p, settled),
    });
  }

  show(target: SshTarget, jobId: string, name: string): void {
    this.terminals.show(jobKey(target.id, jobId), {
      title: l10n.t`Job · ${name}`,
      icon: 'run',
      logPath: `~/.fal/jobs/${jobId}/log`,
      lend: async () => {
        const lent = await this.watcher.lend(target);
        return { source: { readLog: (start, max) => lent.jobs.readLog(jobId, start, max) }, release: lent.release };
      },
      endLine,
    });
  }

  dispose(): void {
    this.terminals.dispose();
    void this.book.saveResume(); // the window closes: where each open terminal stopped is kept
  }
}

function endLine(status: JobAnswer): string {
  if (status.kind === 'none' || status.kind === 'unknown') return '';
  const outcome = jobOutcomeText(status);
  return status.kind === 'lost' ? `[${outcome}] ${lostDetail(false)}` : `[${outcome}]`;
}
