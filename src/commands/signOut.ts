// "fal: Sign Out": forgets the stored key. Instances keep running (and billing) on fal's side,
// so the confirmation says so.
import * as vscode from 'vscode';
import type { ApiKeyStore } from '../auth/apiKeyStore';
import { showInformationMessage, showWarningMessage } from '../notifications';

export async function signOut(keys: ApiKeyStore, log: vscode.LogOutputChannel): Promise<void> {
  if (!(await keys.get())) {
    void showInformationMessage('fal Compute: no API key is stored.');
    return;
  }
  const choice = await showWarningMessage(
    'Remove the fal API key from VS Code?',
    { modal: true, detail: 'Your instances keep running and billing on fal. You can set the key again at any time.' },
    'Remove Key',
  );
  if (choice !== 'Remove Key') return;
  await keys.clear();
  log.info('API key removed from secret storage.');
}
