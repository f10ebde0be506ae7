// "fal: Use Existing fal Key": offers a key found in FAL_KEY / ~/.fal/config.toml. Nothing is
// imported without the user saying so, and the key is still checked against fal first.
import * as l10n from '@vscode/l10n';
import { findExistingFalKey } from '../core/falCredentials';
import { setApiKey, type SetApiKeyDeps } from './setApiKey';
import { showInformationMessage } from '../notifications';
import { setContextKey } from '../views/contextKeys';

export async function importApiKey(deps: SetApiKeyDeps): Promise<void> {
  const found = await findExistingFalKey();
  if (!found) {
    void showInformationMessage(
      l10n.t('No fal key was found in FAL_KEY, FAL_KEY_ID/FAL_KEY_SECRET or ~/.fal/config.toml.'),
    );
    return;
  }
  await setApiKey(deps, found.key);
}

/** Once per window, when no key is stored (extension.ts looks first): a key found elsewhere is offered. */
export async function offerFoundKey(deps: SetApiKeyDeps): Promise<void> {
  const found = await findExistingFalKey();
  await setContextKey('fal.keyImportAvailable', Boolean(found));
  if (!found) return;
  const useThisKey = l10n.t('Use This Key');
  const choice = await showInformationMessage(
    l10n.t`fal Compute found a fal key in ${found.source}. Use it in VS Code?`,
    useThisKey,
    l10n.t('Not Now'),
  );
  if (choice === useThisKey) await setApiKey(deps, found.key);
}
