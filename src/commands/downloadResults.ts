// "fal: Download Results": the files `fal.results.paths` names on the machine's copy come into the
// open folder (src/sync: each written whole, every name checked). A local file newer than the
// machine's is kept unless the user says, in a modal naming them, to replace it.
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { sizeText } from '../base/durations';
import { noFolderText, notHomeText } from '../instances/workspaceTransfers';
import { showInformationMessage, showWarningMessage } from '../notifications';
import type { DownloadResult } from '../sync';
import { filesText, run, transferTarget, type TransferCommandDeps } from './uploadWorkspace';

export async function downloadResultsCommand(deps: TransferCommandDeps, arg: unknown): Promise<void> {
  // Without paths, say how to set them; without a folder, transferTarget says to open one.
  if (!deps.transfers.hasResultsPaths()) {
    const open = l10n.t('Open Settings');
    const answer = await showInformationMessage(
      l10n.t("Say what to bring home first: fal.results.paths lists globs on the machine's copy, e.g. outputs/**."),
      open,
    );
    if (answer === open) await vscode.commands.executeCommand('workbench.action.openSettings', 'fal.results.paths');
    return;
  }
  const target = await transferTarget(
    deps,
    arg,
    l10n.t('Download the results of which instance?'),
    noFolderText('download'),
  );
  if (!target) return;
  let result = await run(() => deps.transfers.download(target.id, target.identityFile));
  const fetched = [...result.downloaded];
  if (result.conflicts.length) {
    const replace = l10n.t('Replace Them');
    const answer = await showWarningMessage(
      result.conflicts.length === 1
        ? l10n.t`${result.conflicts[0]!.path} is newer here than on ${target.name}. Replace it with the machine's?`
        : l10n.t`${result.conflicts.length} result files are newer here than on ${target.name}. Replace them with the machine's?`,
      {
        modal: true,
        detail:
          result.conflicts
            .slice(0, 20)
            .map((c) => `• ${c.path}`)
            .join('\n') +
          '\n\n' +
          l10n.t('Keep Mine leaves them as they are here; the machine keeps its copy.'),
      },
      replace,
      l10n.t('Keep Mine'),
    );
    if (answer === replace) {
      const paths = result.conflicts.map((c) => c.path);
      result = await run(() => deps.transfers.download(target.id, target.identityFile, { overwriteNewer: paths }));
      fetched.push(...result.downloaded);
    }
  }
  for (const e of [...result.refused, ...result.missing])
    deps.log.warn(`Results of ${target.id}: ${JSON.stringify(e.path)} not brought home: ${e.reason}`);
  const summary = summaryText(fetched.length, result, target.name);
  const notHome = notHomeText(result);
  if (notHome) void showWarningMessage(summary + ' ' + l10n.t('Not brought home: {0}.', notHome));
  else void showInformationMessage(summary);
}

function summaryText(fetched: number, result: DownloadResult, name: string): string {
  if (fetched === 0) return l10n.t`The results of ${name} are up to date here (${filesText(result.upToDateFiles)}).`;
  return l10n.t`Downloaded ${filesText(fetched)} of results (${sizeText(result.progress.bytes)}) from ${name}; ${filesText(result.upToDateFiles)} already here.`;
}
