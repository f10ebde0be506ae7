// The one way a command runs (as microsoft/vscode-containers registers every command through one
// wrapper): whatever a command throws is logged with the command's name and shown ONCE, with
// **Show Logs**; a cancellation is silent; a missing or rejected key is worded as the auth policy
// words it, with **Set API Key**; and no command can leave an unhandled rejection behind.
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { ApiKeyNeeded } from '../auth/falSession';
import { errorMessage, keyRejectionOf } from '../core/apiFailures';
import { FalError } from '../api/errors';
import type { CommandId } from '../core/commandIds';
import { executeFalCommand } from '../falCommands';
import { showErrorMessage, showWarningMessage } from '../notifications';

/** The button that opens the log, worded when it is shown. */
export function showLogsButton(): string {
  return l10n.t('Show Logs');
}

type Log = vscode.LogOutputChannel;

/** A failure the command has put in words already: shown as it is, without a stack in the log. */
export class CommandError extends Error {
  override readonly name = 'CommandError';
}

/** Registers command `id`; `title` is how errors name it ("Delete Instance: …"), from package.json (core/commandIds.ts `errorTitles`). */
export function registerCommand<A extends unknown[]>(
  log: Log,
  id: CommandId,
  title: string,
  run: (...args: A) => unknown,
): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: A) => {
    try {
      return await run(...args);
    } catch (error) {
      reportFailure(log, title, error);
      return undefined;
    }
  });
}

/** Runs work nobody awaits (activation tasks, follow-ups of a command) with the same reporting. */
export function runInBackground(log: Log, title: string, work: () => Promise<unknown>): void {
  work().catch((error: unknown) => reportFailure(log, title, error));
}

export function isCancellation(error: unknown): boolean {
  return error instanceof vscode.CancellationError || (error instanceof Error && error.name === 'AbortError');
}

/** Logs `error` with context and tells the user once. */
function reportFailure(log: Log, title: string, error: unknown): void {
  if (isCancellation(error)) {
    log.info(`${title}: cancelled`);
    return;
  }
  const keyProblem = error instanceof ApiKeyNeeded ? error.message : keyRejectionOf(error)?.message;
  const buttons = { showLogs: showLogsButton(), setApiKey: l10n.t('Set API Key') };
  if (keyProblem) {
    log.warn(`${title}: ${keyProblem}`);
    offer(log, showWarningMessage(`${title}: ${keyProblem}`, buttons.setApiKey), buttons);
    return;
  }
  const explained = error instanceof CommandError || error instanceof FalError;
  const message = error instanceof CommandError ? error.message : errorMessage(error);
  log.error(`${title} failed: ${message}`);
  // Our own errors are already explained; anything else is a bug, and its stack is what helps.
  if (!explained && error instanceof Error && error.stack) log.error(error.stack);
  offer(log, showErrorMessage(`${title}: ${message}`, buttons.showLogs), buttons);
}

function offer(
  log: Log,
  choice: Thenable<string | undefined>,
  buttons: { readonly showLogs: string; readonly setApiKey: string },
): void {
  void Promise.resolve(choice).then((picked) => {
    if (picked === buttons.showLogs) log.show(true);
    else if (picked === buttons.setApiKey) void executeFalCommand('fal.setApiKey');
  });
}
