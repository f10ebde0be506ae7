// Runs one of this extension's own commands by its typed id (core/commandIds.ts), so that a typo
// in an id fails to compile instead of failing silently when a button is clicked.
import * as vscode from 'vscode';
import type { CommandId } from './core/commandIds';

export function executeFalCommand<T = unknown>(id: CommandId, ...args: unknown[]): Thenable<T> {
  return vscode.commands.executeCommand<T>(id, ...args);
}
