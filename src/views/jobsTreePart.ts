// Jobs in the Instances tree: each ready row's jobs as its children (newest first), with their
// words (`train.py · running 12 min`), icons, tooltip and menu, and the repaint of a row whose jobs
// changed. Everything shown is the watcher's last listing, read from the machine.
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { realTimers } from '../base/timers';
import { labelText } from '../core/markdownText';
import type { JobsMonitor } from '../instances/jobsMonitor';
import { jobRowText } from '../jobs/jobWords';
import { jobTooltipMarkdown } from './jobTooltip';
import type { JobStatus } from '../jobs/types';

export type JobNode = { readonly kind: 'job'; readonly id: string; readonly jobId: string };

/** Jobs shown under a row: the newest; the machine keeps the rest under ~/.fal/jobs. */
const SHOWN_JOBS = 10;

export class JobsTreePart implements vscode.Disposable {
  private readonly nodes = new Map<string, JobNode>();
  private readonly changed = new vscode.EventEmitter<readonly string[]>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: { dispose(): void };

  constructor(
    private readonly monitor: Pick<JobsMonitor, 'watcher' | 'onDidChange'>,
    private readonly hourlyUsd: (id: string) => number | undefined,
  ) {
    this.subscription = monitor.onDidChange((id) => this.changed.fire([id]));
  }

  hasJobs(id: string): boolean {
    return (this.monitor.watcher.known(id)?.jobs.length ?? 0) > 0;
  }

  children(id: string): JobNode[] {
    const jobs = this.monitor.watcher.known(id)?.jobs ?? [];
    return jobs.slice(0, SHOWN_JOBS).map((j) => this.node(id, j.run.runId));
  }

  /** The job a node shows, as last listed. */
  status(node: JobNode): JobStatus | undefined {
    return this.monitor.watcher.known(node.id)?.jobs.find((j) => j.run.runId === node.jobId);
  }

  treeItem(node: JobNode): vscode.TreeItem {
    const known = this.monitor.watcher.known(node.id);
    const status = this.status(node);
    if (!known || !status) return new vscode.TreeItem(l10n.t('(gone)'));
    const item = new vscode.TreeItem(labelText(status.run.name), vscode.TreeItemCollapsibleState.None);
    item.id = `job:${node.id}:${node.jobId}`;
    item.description = jobRowText(status, known.readAtMs, realTimers.now(), this.hourlyUsd(node.id));
    item.iconPath = jobIcon(status);
    item.contextValue = status.kind === 'running' ? 'falJob.running' : 'falJob.ended';
    item.command = { command: 'fal.job.showOutput', title: l10n.t('Show Output'), arguments: [node] };
    item.tooltip = new vscode.MarkdownString(jobTooltipMarkdown(status), true);
    item.accessibilityInformation = { label: `${status.run.name}, ${item.description}` };
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  private node(id: string, jobId: string): JobNode {
    const key = `${id}/${jobId}`;
    let node = this.nodes.get(key);
    if (!node) {
      node = { kind: 'job', id, jobId };
      this.nodes.set(key, node);
    }
    return node;
  }
}

function jobIcon(status: JobStatus): vscode.ThemeIcon {
  const [icon, color] =
    status.kind === 'running'
      ? ['sync~spin', 'charts.blue']
      : status.kind === 'lost'
        ? ['question', 'charts.orange']
        : status.stopped
          ? ['debug-stop', 'descriptionForeground']
          : status.exitCode === 0
            ? ['pass', 'testing.iconPassed']
            : ['error', 'testing.iconFailed'];
  return new vscode.ThemeIcon(icon, new vscode.ThemeColor(color));
}
