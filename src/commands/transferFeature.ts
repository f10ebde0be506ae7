// The workspace up and results back, put together for extension.ts: the one transfer owner (also
// the ResultsSaver the delete paths ask) and its two commands.
import type * as vscode from 'vscode';
import type { CommandId } from '../core/commandIds';
import { WorkspaceTransfers, type TransferDeps } from '../instances/workspaceTransfers';
import { downloadResultsCommand } from './downloadResults';
import { uploadWorkspaceCommand } from './uploadWorkspace';

export interface TransferFeatureDeps extends TransferDeps {
  readonly command: (id: CommandId, run: (arg?: unknown) => unknown) => vscode.Disposable;
}

export function transferFeature(deps: TransferFeatureDeps) {
  const transfers = new WorkspaceTransfers(deps);
  const commandDeps = { ...deps, transfers };
  return {
    transfers,
    disposables: [
      deps.command('fal.uploadWorkspace', (arg) => uploadWorkspaceCommand(commandDeps, arg)),
      deps.command('fal.downloadResults', (arg) => downloadResultsCommand(commandDeps, arg)),
    ],
  };
}
