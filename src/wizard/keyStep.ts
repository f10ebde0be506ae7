// The create wizard's SSH key step: a key from ~/.ssh, a new ed25519 key, a pasted or a browsed
// public key — and never a private key. Pure logic over WizardUi.
import * as l10n from '@vscode/l10n';
import { basename } from 'node:path';
import { errorText } from '../base/errorText';
import { labelText } from '../core/markdownText';
import { isKeyProblem, looksLikePrivateKey, parsePublicKey, privateKeyProblem, type FoundKey } from '../ssh';
import type { CreateWizardDeps, KeyChoice, State } from './createTypes';
import { CANCEL, value, type StepFrame, type StepResult, type WizardPickItem } from './wizardUi';

type KeyAction = { kind: 'found'; key: FoundKey } | { kind: 'generate' } | { kind: 'paste' } | { kind: 'browse' };

export async function keyStep(frame: StepFrame, deps: CreateWizardDeps, state: State): Promise<StepResult<void>> {
  const { ui } = deps;
  for (;;) {
    const found = await deps.listKeys();
    const items: WizardPickItem<KeyAction>[] = [
      ...found.map((key) => ({
        label: `$(key) ${labelText(basename(key.publicKeyPath))}`,
        description: labelText(`${key.parsed.type}${key.parsed.comment ? ` · ${key.parsed.comment}` : ''}`),
        detail: `${key.parsed.fingerprint}${key.privateKeyPath ? '' : l10n.t(' · no private key beside it')}`,
        value: { kind: 'found' as const, key },
      })),
      {
        label: `$(add) ${l10n.t('Generate a new ed25519 key for fal')}`,
        detail: l10n.t`Written to ${labelText(deps.sshDirShown ?? deps.sshDir)} when you confirm; overwrites nothing`,
        value: { kind: 'generate' },
      },
      {
        label: `$(clippy) ${l10n.t('Paste a public key…')}`,
        detail: l10n.t('One line: ssh-ed25519 …, ssh-rsa … or ecdsa-sha2-…'),
        value: { kind: 'paste' },
      },
      {
        label: `$(folder-opened) ${l10n.t('Browse…')}`,
        detail: l10n.t('Choose a .pub file'),
        value: { kind: 'browse' },
      },
    ];
    const current = state.key;
    const activeIndex =
      current?.kind === 'generate'
        ? found.length
        : Math.max(
            0,
            found.findIndex((k) => current?.kind === 'existing' && k.publicKeyPath === current.source),
          );
    const r = await ui.pick({
      ...frame,
      placeholder: l10n.t('SSH public key for the instance (cannot be changed later)'),
      items,
      activeIndex,
    });
    if (r.kind !== 'value') return r;
    const action = r.value;
    if (action.kind === 'found') {
      state.key = {
        kind: 'existing',
        parsed: action.key.parsed,
        source: action.key.publicKeyPath,
        ...(action.key.privateKeyPath && { privateKeyPath: action.key.privateKeyPath }),
      };
      return value(undefined);
    }
    if (action.kind === 'generate') {
      state.key = { kind: 'generate' };
      return value(undefined);
    }
    if (action.kind === 'paste') {
      const pasted = await ui.input({
        ...frame,
        canGoBack: true,
        prompt: l10n.t('Paste a PUBLIC key (one line of a .pub file). A private key is refused, never sent.'),
        placeholder: 'ssh-ed25519 AAAA… you@host',
        validate: pastedKeyProblem,
        // A private key is not left on screen for anyone looking over a shoulder (or a screen share).
        refuseAndClear: (text) =>
          looksLikePrivateKey(text)
            ? l10n.t`${privateKeyProblem()} It was cleared from the box and not sent.`
            : undefined,
      });
      if (pasted.kind === 'cancel') return CANCEL;
      if (pasted.kind === 'back') continue;
      const parsed = parsePublicKey(pasted.value);
      if (isKeyProblem(parsed)) continue; // validate refused it already; defensive
      state.key = { kind: 'existing', parsed, source: 'pasted' };
      return value(undefined);
    }
    const path = await ui.openFile({ title: l10n.t('Choose an SSH public key (.pub)'), defaultFolder: deps.sshDir });
    if (path === undefined) continue;
    const chosen = await keyFromFile(deps, path);
    if (typeof chosen === 'string') {
      await ui.showError(chosen);
      continue;
    }
    state.key = chosen;
    return value(undefined);
  }
}

/** The validation message of the paste box: undefined when the text is a usable public key. */
export function pastedKeyProblem(text: string): string | undefined {
  if (looksLikePrivateKey(text)) return privateKeyProblem();
  const parsed = parsePublicKey(text);
  return isKeyProblem(parsed) ? parsed.problem : undefined;
}

/** A key from a file, or a message explaining why the file cannot be used. */
export async function keyFromFile(
  deps: Pick<CreateWizardDeps, 'readFile' | 'fileExists'>,
  path: string,
): Promise<KeyChoice | string> {
  let text: string;
  try {
    text = await deps.readFile(path);
  } catch (e) {
    return l10n.t`Cannot read ${path}: ${errorText(e)}`;
  }
  if (text.length > 64 * 1024) return l10n.t`${basename(path)} is too large to be a public key.`;
  if (looksLikePrivateKey(text)) {
    // The private half was chosen: use its .pub sibling when there is one, never the file itself.
    const sibling = `${path}.pub`;
    if (await deps.fileExists(sibling)) {
      const pub = await keyFromFile(deps, sibling);
      if (typeof pub !== 'string' && pub.kind === 'existing') return { ...pub, privateKeyPath: path };
    }
    return l10n.t`${basename(path)}: ${privateKeyProblem()} It was not sent.`;
  }
  const parsed = parsePublicKey(text);
  if (isKeyProblem(parsed)) return `${basename(path)}: ${parsed.problem}`;
  const privatePath = path.endsWith('.pub') ? path.slice(0, -'.pub'.length) : undefined;
  const hasPrivate = privatePath !== undefined && (await deps.fileExists(privatePath));
  return { kind: 'existing', parsed, source: path, ...(hasPrivate && { privateKeyPath: privatePath }) };
}
