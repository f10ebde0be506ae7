// The setup log in a VS Code terminal: one per instance, through LogTerminals (a closed terminal
// reopened in this window continues from the byte where it stopped).
import * as l10n from '@vscode/l10n';
import type * as vscode from 'vscode';
import type { SetupCoordinator } from '../setup';
import { DEFAULT_LOG_PATH } from '../setup/logFollower';
import { setupRowText, setupStatusDetail } from '../setup/setupWords';
import type { SetupStatus } from '../setup/setupStatus';
import { LogTerminals } from './logTerminals';

export class SetupTerminals implements vscode.Disposable {
  private readonly terminals: LogTerminals;

  constructor(
    private readonly coordinator: SetupCoordinator,
    log: vscode.LogOutputChannel,
  ) {
    this.terminals = new LogTerminals(log);
  }

  /** Shows the instance's setup log terminal, opening it when it is not open. */
  show(id: string, name: string): void {
    this.terminals.show(`setup:${id}`, {
      title: l10n.t`Setup · ${name}`,
      icon: 'tools',
      logPath: DEFAULT_LOG_PATH,
      lend: async () => {
        const lent = await this.coordinator.lend(id);
        return { source: lent.remote, release: lent.release };
      },
      endLine,
    });
  }

  dispose(): void {
    this.terminals.dispose();
  }
}

/** The last line under a finished log: the row's words, and what they mean when it is not obvious. */
function endLine(status: SetupStatus): string {
  const words = setupRowText(status, 0, 0) ?? '';
  const detail = setupStatusDetail(status);
  return `[${words}]${detail ? ` ${detail}` : ''}`;
}
