// "fal: Sign Out": forgets the stored key. Instances keep running (and billing) on fal's side,
// so the confirmation says so.
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import type { ApiKeyStore } from '../auth/apiKeyStore';
import { showInformationMessage, showWarningMessage } from '../notifications';

export async function signOut(keys: ApiKeyStore, log: vscode.LogOutputChannel): Promise<void> {
  if (!(await keys.get())) {
    void showInformationMessage(l10n.t('fal Compute: no API key is stored.'));
    return;
  }
  const removeKey = l10n.t('Remove Key');
  const choice = await showWarningMessage(
    l10n.t('Remove the fal API key from VS Code?'),
    {
      modal: true,
      detail: l10n.t('Your instances keep running and billing on fal. You can set the key again at any time.'),
    },
    removeKey,
  );
  if (choice !== removeKey) return;
  await keys.clear();
  log.info('API key removed from secret storage.');
}
