// The setup log in a VS Code terminal (a Pseudoterminal fed by src/setup's SetupLogFollower): one
// terminal per instance, following the log on the machine until the run ends. Closing it stops
// reading (never the run, which is detached on the machine); opening it again in this window
// continues from the byte where it stopped — nothing lost, nothing shown twice.
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { realTimers } from '../base/timers';
import type { SetupCoordinator } from '../setup';
import { SetupLogFollower, type ResumePoint } from '../setup/logFollower';
import { setupRowText, setupStatusDetail } from '../setup/setupWords';
import type { SetupStatus } from '../setup/setupStatus';

export class SetupTerminals implements vscode.Disposable {
  private readonly open = new Map<string, vscode.Terminal>();
  private readonly resumeAt = new Map<string, ResumePoint>();
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly coordinator: SetupCoordinator,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subscription = vscode.window.onDidCloseTerminal((t) => {
      for (const [id, terminal] of this.open) if (terminal === t) this.open.delete(id);
    });
  }

  /** Shows the instance's setup log terminal, opening it when it is not open. */
  show(id: string, name: string): void {
    const existing = this.open.get(id);
    if (existing) return existing.show();
    const terminal = vscode.window.createTerminal({
      name: l10n.t`Setup · ${name}`,
      iconPath: new vscode.ThemeIcon('tools'),
      pty: this.pty(id),
    });
    this.open.set(id, terminal);
    terminal.show();
  }

  dispose(): void {
    this.subscription.dispose();
    for (const t of this.open.values()) t.dispose();
  }

  private pty(id: string): vscode.Pseudoterminal {
    const write = new vscode.EventEmitter<string>();
    let follower: SetupLogFollower | undefined;
    let release: (() => Promise<void>) | undefined;
    let closed = false;
    const stop = () => {
      closed = true;
      if (follower?.resumeAt) this.resumeAt.set(id, follower.resumeAt);
      follower?.stop();
      void release?.();
    };
    return {
      onDidWrite: write.event,
      open: () =>
        void this.coordinator.lend(id).then(
          (lent) => {
            release = lent.release;
            if (closed) return void lent.release();
            const resume = this.resumeAt.get(id);
            follower = new SetupLogFollower({
              source: lent.remote,
              timers: realTimers,
              ...(resume ? { resume } : {}),
              onText: (text) => write.fire(text.replace(/\r?\n/g, '\r\n')),
              onEnd: (status) => {
                write.fire(`\r\n${endLine(status)}\r\n`);
                if (follower?.resumeAt) this.resumeAt.set(id, follower.resumeAt);
                void lent.release();
              },
              onReadFailed: (reason) => this.log.info(`Setup log of ${id}: read failed, trying again (${reason})`),
            });
            follower.start();
          },
          (e: unknown) => write.fire(`${l10n.t`Cannot reach the machine: ${String(e)}`}\r\n`),
        ),
      close: stop,
      handleInput: () => undefined, // the log is read-only: the run on the machine has no terminal
    };
  }
}

/** The last line under a finished log: the row's words, and what they mean when it is not obvious. */
function endLine(status: SetupStatus): string {
  const words = setupRowText(status, 0, 0) ?? '';
  const detail = setupStatusDetail(status);
  return `[${words}]${detail ? ` ${detail}` : ''}`;
}
