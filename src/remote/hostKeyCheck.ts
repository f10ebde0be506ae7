// The instance's host key against the one remembered for it in our known_hosts (per instance:
// HostKeyAlias fal-<id>). A changed key is said plainly, with the offer to forget the old one.
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import type { SshSettings } from '../settings';
import { forgetInstanceHostKeys, hostAlias } from '../ssh';
import { probeHostKey } from './sshProbe';
import { showErrorMessage, showInformationMessage } from '../notifications';

/** A host entry ready to use: `ssh <alias>` works (or `ssh -F <managedOnly> <alias>`). */
export interface PreparedHost {
  readonly id: string;
  /** The user's name for the instance, if any. */
  readonly name?: string;
  readonly alias: string;
  readonly ip: string;
  readonly settings: SshSettings;
  /** Set when the user's config refused our Include: the managed file to pass with -F. */
  readonly managedOnly?: string;
}

/** true to go on; false when ssh reports a changed host key (after offering to forget it). */
export async function checkHostKey(log: vscode.LogOutputChannel, host: PreparedHost): Promise<boolean> {
  const verdict = await probeHostKey({
    alias: host.alias,
    ip: host.ip,
    port: host.settings.port,
    knownHostsFile: host.settings.paths.knownHosts,
  });
  log.info(`${host.id}: host key check: ${verdict.kind}${verdict.kind === 'unknown' ? ` (${verdict.reason})` : ''}`);
  if (verdict.kind !== 'changed') return true;
  const forget = l10n.t('Forget Old Key');
  const choice = await showErrorMessage(
    l10n.t`The host key of ${host.id} (${host.ip}) is not the one remembered for this instance in ${host.settings.paths.knownHosts}. It changes if the machine was reinstalled — but it can also mean the connection is being intercepted. Forget the old key and trust the new one on the next connection?`,
    { modal: false },
    forget,
  );
  if (choice === forget) await forgetHostKey(log, host.id, host.ip, host.settings);
  return false;
}

export async function forgetHostKey(
  log: vscode.LogOutputChannel,
  id: string,
  ip: string,
  settings: SshSettings,
): Promise<void> {
  // Recorded under the instance's alias (HostKeyAlias); files from before that, under the address.
  const removed = await forgetInstanceHostKeys(settings.paths.knownHosts, {
    alias: hostAlias(id),
    ip,
    port: settings.port,
  });
  log.info(
    `${id}: forgot ${removed} host key line(s) of ${hostAlias(id)} / ${ip}:${settings.port} in ${settings.paths.knownHosts}`,
  );
  void showInformationMessage(
    removed
      ? l10n.t`Forgot the old host key of ${id} (${ip}); the next connection trusts the instance's new key.`
      : l10n.t`No host key of ${id} (${ip}) was remembered in ${settings.paths.knownHosts}.`,
  );
}
