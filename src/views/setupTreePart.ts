// Setup's part of the Instances tree: the row's words while setup runs or when it did not end
// well, "set up" when nothing says more, the tooltip's Setup line, and whether the row offers
// Show Setup Log / Run Setup Again. Repaints the rows the coordinator reads.
import * as vscode from 'vscode';
import { realTimers } from '../base/timers';
import type { SetupMonitor } from '../instances/setupMonitor';
import { setupRowText, setupStatusDetail } from '../setup/setupWords';
import type { SetupRowPart } from './instanceTreeItem';

export class SetupTreePart implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<readonly string[]>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: { dispose(): void };

  constructor(private readonly monitor: Pick<SetupMonitor, 'coordinator' | 'onDidChange'>) {
    this.subscription = monitor.onDidChange((id) => this.changed.fire([id]));
  }

  row(id: string): (SetupRowPart & { readonly hasRun: boolean }) | undefined {
    const known = this.monitor.coordinator.known(id);
    if (!known) return undefined;
    const words = setupRowText(known.status, known.readAtMs, realTimers.now());
    if (!words) return undefined;
    const quiet = known.status.kind === 'exited' && known.status.exitCode === 0;
    return { words, quiet, hasRun: this.monitor.coordinator.hasRun(id) };
  }

  /** The tooltip's Setup line (plain text; the tooltip escapes it). */
  tooltip(id: string): string | undefined {
    const known = this.monitor.coordinator.known(id);
    if (!known) return undefined;
    const words = setupRowText(known.status, known.readAtMs, realTimers.now());
    const detail = setupStatusDetail(known.status);
    return words && detail ? `${words}. ${detail}` : words;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
