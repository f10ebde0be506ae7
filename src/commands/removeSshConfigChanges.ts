// "fal: Remove SSH Config Changes": takes back everything this extension added to the user's SSH
// setup (src/ssh/sshTidy.ts: our lines, ~/.ssh/fal, the backup when identical). Connect adds
// what it needs again; the uninstall script (src/uninstall.ts) does the same without asking.
import * as vscode from 'vscode';
import { readSettings } from '../settings';
import { removeSshConfigChanges } from '../ssh';
import { showInformationMessage, showWarningMessage } from '../notifications';

export async function removeSshConfigChangesCommand(log: vscode.LogOutputChannel): Promise<void> {
  const { paths } = readSettings().ssh;
  const answer = await showWarningMessage(
    'Remove the changes fal Compute made to your SSH setup?',
    {
      modal: true,
      detail:
        `The two fal-compute lines in ${paths.userConfig} (and in any other SSH config they were added to), the host entries and remembered ` +
        `host keys of fal instances in ${paths.falDir}, and the backup of your config when it is identical to it again. ` +
        'Connect adds what it needs again.',
    },
    'Remove',
  );
  if (answer !== 'Remove') return;
  const report = await removeSshConfigChanges(paths, paths.home);
  for (const line of report.removed) log.info(`Remove SSH Config Changes: removed ${line}`);
  for (const line of report.kept) log.warn(`Remove SSH Config Changes: kept ${line}`);
  if (report.kept.length) {
    void showWarningMessage(`Removed fal Compute's SSH config changes, except: ${report.kept.join('; ')}.`);
  } else if (report.removed.length) {
    void showInformationMessage(`Removed fal Compute's SSH config changes: ${paths.userConfig} is as it was before.`);
  } else {
    void showInformationMessage('fal Compute has made no changes to your SSH setup.');
  }
}
