// "fal: Set API Key": a password box that checks the key's shape as you type and checks the key
// against fal on Enter, staying open with the reason when fal says no.
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { checkApiKeyShape } from '../api';
import type { ApiKeyStore } from '../auth/apiKeyStore';
import { verifyApiKey } from '../auth/verifyApiKey';
import { errorText } from '../base/errorText';
import { readSettings } from '../settings';
import { showInformationMessage } from '../notifications';

export interface SetApiKeyDeps {
  readonly keys: ApiKeyStore;
  readonly log: vscode.LogOutputChannel;
  readonly version: string;
}

/** Resolves true when a key was saved. `initialValue` pre-fills the box (used by the import offer). */
export function setApiKey(deps: SetApiKeyDeps, initialValue = ''): Promise<boolean> {
  const box = vscode.window.createInputBox();
  box.title = l10n.t('fal: Set API Key');
  box.password = true;
  box.ignoreFocusOut = true;
  box.value = initialValue;
  box.placeholder = 'key_id:key_secret';
  box.prompt = l10n.t(
    "An ADMIN-scope fal API key (fal.ai/dashboard/keys). It is kept in VS Code's secret storage only.",
  );
  let unverifiedValue: string | undefined; // Enter again on an unreachable API saves anyway

  return new Promise<boolean>((resolve) => {
    let saved = false;
    const shapeProblem = (value: string) => (value ? checkApiKeyShape(value) : undefined);
    box.onDidChangeValue((value) => {
      unverifiedValue = undefined;
      const problem = shapeProblem(value);
      box.validationMessage = problem
        ? { message: problem, severity: vscode.InputBoxValidationSeverity.Error }
        : undefined;
    });
    const accept = async () => {
      const key = box.value.trim();
      const problem = key ? shapeProblem(key) : l10n.t('Paste your fal API key (key_id:key_secret).');
      if (problem) {
        box.validationMessage = { message: problem, severity: vscode.InputBoxValidationSeverity.Error };
        return;
      }
      if (unverifiedValue !== key) {
        box.busy = true;
        box.enabled = false;
        const verdict = await verifyApiKey(key, readSettings().apiBaseUrl, deps.log, deps.version).finally(() => {
          box.busy = false;
          box.enabled = true;
        });
        if (!verdict.ok) {
          if (verdict.unverifiable) unverifiedValue = key;
          box.validationMessage = {
            message: verdict.unverifiable
              ? l10n.t`${verdict.message} Press Enter again to save the key without checking.`
              : verdict.message,
            severity: verdict.unverifiable
              ? vscode.InputBoxValidationSeverity.Warning
              : vscode.InputBoxValidationSeverity.Error,
          };
          return;
        }
      }
      await deps.keys.set(key);
      deps.log.info('API key saved to secret storage.');
      saved = true;
      box.hide();
      void showInformationMessage(l10n.t('fal API key saved.'));
    };
    // A failure here (secret storage refusing the write) stays in the box, where the user is.
    box.onDidAccept(() =>
      accept().catch((error: unknown) => {
        deps.log.error(`Saving the API key failed: ${errorText(error)}`);
        box.validationMessage = {
          message: l10n.t`The key could not be saved: ${errorText(error)}`,
          severity: vscode.InputBoxValidationSeverity.Error,
        };
      }),
    );
    box.onDidHide(() => {
      box.dispose();
      resolve(saved);
    });
    box.show();
  });
}
