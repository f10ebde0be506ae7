// Getting an instance's SSH host entry ready: which private key opens it (remembered, or asked
// once), its Host block in our managed file and the Include in the user's config, and the fallbacks
// when the user's config is one we must not change. Every step is logged (paths and aliases, never
// key material).
import * as l10n from '@vscode/l10n';
import { access } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { basename, join } from 'node:path';
import * as vscode from 'vscode';
import { errorText } from '../base/errorText';
import type { InstanceRecord } from '../core/instancesModel';
import { labelText } from '../core/markdownText';
import type { InstanceKeyStore } from '../instances/instanceKeyStore';
import type { NameLookup } from '../instances/instanceNames';
import type { Milestones } from '../views/gettingStarted';
import { readSettings, type SshSettings } from '../settings';
import { hostAlias, listPublicKeys, SshConfigError, type ResolveCheck } from '../ssh';
import { checkInstanceIp, sshCommandLine, terminalConfigFile } from '../ssh/remoteSsh';
import { checkHostKey, type PreparedHost } from './hostKeyCheck';
import { describeResolveCheck, writeHostOnly, writeHostWithInclude, type HostTarget } from './hostSync';
import { showErrorMessage } from '../notifications';

export interface HostDeps {
  readonly log: vscode.LogOutputChannel;
  readonly keyStore: InstanceKeyStore;
  /** The user's names for instances: the terminal title and the host entry's comment use them. */
  readonly names?: NameLookup;
  /** Told when a connection was opened (the walkthrough's Connect step). */
  readonly milestones?: Milestones;
}

/** What the host is for: only a terminal can go on with the managed file alone. */
export type Purpose = 'connect' | 'terminal' | 'copy';

/** The button that opens an SSH terminal instead, worded when it is shown. */
export function openSshInTerminalButton(): string {
  return l10n.t('Open SSH in Terminal');
}

/** The instance's private key path: remembered, or asked once (a ~/.ssh private key, or Browse…). */
export async function chooseKey(
  deps: HostDeps,
  id: string,
  settings: SshSettings = readSettings().ssh,
): Promise<string | undefined> {
  const known = deps.keyStore.get(id);
  if (known) {
    if (
      await access(known).then(
        () => true,
        () => false,
      )
    )
      return known;
    deps.log.warn(`Key file ${known} of ${id} is missing; asking again`);
  }
  const { keys } = await listPublicKeys(settings.paths.sshDir);
  type Item = vscode.QuickPickItem & { path?: string };
  const items: Item[] = keys
    .filter((k) => k.privateKeyPath)
    .map((k) => ({
      label: labelText(basename(k.privateKeyPath!)),
      description: labelText([k.parsed.type, k.parsed.comment].filter(Boolean).join(' ')),
      detail: labelText(k.privateKeyPath!),
      path: k.privateKeyPath,
    }));
  items.push({ label: l10n.t('Browse…'), description: l10n.t('another private key file') });
  const picked = await vscode.window.showQuickPick(items, {
    title: l10n.t`Which private key opens ${id}?`,
    placeHolder: l10n.t('The key whose public half this instance was created with (asked once, then remembered)'),
    ignoreFocusOut: true,
  });
  if (!picked) return undefined;
  let path = picked.path;
  if (!path) {
    const chosen = await vscode.window.showOpenDialog({
      title: l10n.t`Private key for ${id}`,
      defaultUri: vscode.Uri.file(settings.paths.sshDir),
      canSelectFiles: true,
      canSelectFolders: false,
      canSelectMany: false,
      openLabel: l10n.t('Use This Key'),
    });
    path = chosen?.[0]?.fsPath;
    if (!path) return undefined;
  }
  await deps.keyStore.set(id, path);
  deps.log.info(`Remembered key file ${path} for ${id}`);
  return path;
}

/**
 * Writes the instance's Host block and our Include. Reports and returns undefined when a value is
 * refused or the user cancels; when only the user's config is refused, offers the fallbacks.
 */
export async function prepareHost(
  deps: HostDeps,
  record: InstanceRecord,
  purpose: Purpose,
  knownKey?: string,
): Promise<PreparedHost | undefined> {
  const { id } = record.instance;
  const settings = readSettings().ssh;
  const checked = checkInstanceIp(record.instance.ip);
  if (!checked.ok) {
    deps.log.error(`${id}: refused, the instance ${checked.reason}`);
    void showErrorMessage(l10n.t`Cannot connect to ${id}: the instance ${checked.reason}.`);
    return undefined;
  }
  let alias: string;
  try {
    alias = hostAlias(id);
  } catch (e) {
    return refused(deps, id, e);
  }
  const identityFile = knownKey ?? (await chooseKey(deps, id, settings));
  if (!identityFile) {
    deps.log.info(`${id}: no key chosen; stopped`);
    return undefined;
  }
  const name = deps.names?.get(id);
  const target: HostTarget = {
    instanceId: id,
    ip: checked.ip,
    user: settings.user,
    port: settings.port,
    identityFile,
    ...(name && { name }),
  };
  try {
    const written = await writeHostWithInclude(settings.paths, target, settings.home);
    deps.log.info(
      `${id}: host entry ${alias} ${written.entry} in ${settings.paths.managedConfig} (HostName ${checked.ip}, User ${settings.user}, Port ${settings.port}, IdentityFile ${identityFile})`,
    );
    deps.log.info(
      `${id}: Include in ${settings.paths.userConfig} ${written.include === 'present' ? 'already present' : written.include}`,
    );
    if (!resolves(deps, id, written.check, settings.paths.userConfig)) return undefined;
    return { id, ...(name && { name }), alias, ip: checked.ip, settings };
  } catch (e) {
    if (!(e instanceof SshConfigError) || e.code === 'invalid-value' || e.code === 'invalid-path' || e.code === 'io')
      return refused(deps, id, e);
    return userConfigRefused(deps, e, settings, target, purpose);
  }
}

/** Logs ssh -G's verdict on the config just written; false (reported) when ssh could not use it. */
function resolves(deps: HostDeps, id: string, check: ResolveCheck, configFile: string): boolean {
  const { level, message } = describeResolveCheck(check, configFile);
  deps.log[level](`${id}: ${message}`);
  if (level === 'error') void showErrorMessage(l10n.t`Cannot connect to ${id}: ${message}`);
  return level !== 'error';
}

function refused(deps: HostDeps, id: string, e: unknown): undefined {
  const message = errorText(e);
  deps.log.error(`${id}: host entry refused: ${message}`);
  void showErrorMessage(l10n.t`Cannot write the SSH host entry of ${id}: ${message}`);
  return undefined;
}

/** The user's SSH config is one we must not change: nothing was written; offer the file or a terminal. */
async function userConfigRefused(
  deps: HostDeps,
  e: SshConfigError,
  settings: SshSettings,
  target: HostTarget,
  purpose: Purpose,
): Promise<PreparedHost | undefined> {
  const id = target.instanceId;
  const file = settings.paths.userConfig;
  const where = e.line ? l10n.t`${file}, line ${e.line}` : file;
  deps.log.error(`${id}: ${where} was not changed: ${e.message}`);
  const message =
    l10n.t`Your SSH config ${where} was left untouched: ${e.message}` + (e.message.includes(file) ? '' : ` (${file})`);
  const openFile = l10n.t('Open File');
  const openSshInTerminal = openSshInTerminalButton();
  const choice = await showErrorMessage(message, openFile, openSshInTerminal);
  if (choice === openFile) {
    const line = Math.max(0, (e.line ?? 1) - 1);
    await vscode.window.showTextDocument(vscode.Uri.file(file), { selection: new vscode.Range(line, 0, line, 0) });
    return undefined;
  }
  if (choice !== openSshInTerminal) return undefined;
  try {
    const written = await writeHostOnly(settings.paths, target);
    deps.log.info(
      `${id}: host entry ${written.alias} ${written.entry} in ${settings.paths.managedConfig} (used with ssh -F)`,
    );
    if (!resolves(deps, id, written.check, settings.paths.managedConfig)) return undefined;
    const host: PreparedHost = {
      id,
      ...(target.name && { name: target.name }),
      alias: written.alias,
      ip: target.ip,
      settings,
      managedOnly: settings.paths.managedConfig,
    };
    if (purpose === 'terminal') return host; // the caller opens it
    await openTerminal(deps, host, true);
    return undefined;
  } catch (err) {
    return refused(deps, id, err);
  }
}

/** The `ssh …` line for a terminal or the clipboard: -F when ssh's default config would not see our Include. */
export function sshCommandFor(host: PreparedHost): string {
  let passwdHome: string | undefined;
  try {
    passwdHome = userInfo().homedir;
  } catch {
    passwdHome = undefined;
  }
  const sshDefault = passwdHome ? join(passwdHome, '.ssh', 'config') : host.settings.paths.userConfig;
  return sshCommandLine(host.alias, terminalConfigFile(host.settings.paths.userConfig, sshDefault, host.managedOnly));
}

/** An integrated terminal named after the instance, running `ssh fal-<id>` (after the host-key check when asked). */
export async function openTerminal(deps: HostDeps, host: PreparedHost, checkKey: boolean): Promise<void> {
  if (checkKey && !(await checkHostKey(deps.log, host))) return;
  const command = sshCommandFor(host);
  // A terminal's tab draws $(name) as an icon: the name is the user's or a folder's words.
  const terminal = vscode.window.createTerminal({
    name: l10n.t`fal: ${labelText(host.name ?? host.id)}`,
    iconPath: new vscode.ThemeIcon('remote'),
  });
  terminal.show();
  terminal.sendText(command);
  deps.milestones?.reached('connected');
  deps.log.info(`Open SSH in Terminal ${host.id}: ${command}`);
}
