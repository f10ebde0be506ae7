// "fal: Remove SSH Config Changes": takes back everything this extension added to the user's SSH
// setup (src/ssh/sshTidy.ts: our lines, ~/.ssh/fal, the backup when identical). Connect adds
// what it needs again; the uninstall script (src/uninstall.ts) does the same without asking.
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { readSettings } from '../settings';
import { removeSshConfigChanges } from '../ssh';
import { showInformationMessage, showWarningMessage } from '../notifications';

export async function removeSshConfigChangesCommand(log: vscode.LogOutputChannel): Promise<void> {
  const { paths } = readSettings().ssh;
  const remove = l10n.t('Remove');
  const answer = await showWarningMessage(
    l10n.t('Remove the changes fal Compute made to your SSH setup?'),
    {
      modal: true,
      detail: l10n.t`The two fal-compute lines in ${paths.userConfig} (and in any other SSH config they were added to), the host entries and remembered host keys of fal instances in ${paths.falDir}, and the backup of your config when it is identical to it again. Connect adds what it needs again.`,
    },
    remove,
  );
  if (answer !== remove) return;
  const report = await removeSshConfigChanges(paths, paths.home);
  for (const line of report.removed) log.info(`Remove SSH Config Changes: removed ${line}`);
  for (const line of report.kept) log.warn(`Remove SSH Config Changes: kept ${line}`);
  if (report.kept.length) {
    void showWarningMessage(l10n.t`Removed fal Compute's SSH config changes, except: ${report.kept.join('; ')}.`);
  } else if (report.removed.length) {
    void showInformationMessage(
      l10n.t`Removed fal Compute's SSH config changes: ${paths.userConfig} is as it was before.`,
    );
  } else {
    void showInformationMessage(l10n.t('fal Compute has made no changes to your SSH setup.'));
  }
}
