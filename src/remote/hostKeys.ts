// The instance's host key against the one remembered in our known_hosts. fal reuses IP addresses,
// so a new machine on an old address answers with a new key: say so plainly and offer to forget it.
import * as vscode from 'vscode';
import type { SshSettings } from '../settings';
import { forgetHost } from '../ssh';
import type { PreparedHost } from './hostPreparation';
import { probeHostKey } from './sshProbe';

const FORGET = 'Forget Old Key';

/** true to go on; false when ssh reports a changed host key (after offering to forget it). */
export async function checkHostKey(log: vscode.LogOutputChannel, host: PreparedHost): Promise<boolean> {
  const config = host.managedOnly ?? host.settings.paths.userConfig;
  const verdict = await probeHostKey(config, host.alias);
  log.info(`${host.id}: host key check: ${verdict.kind}${verdict.kind === 'unknown' ? ` (${verdict.reason})` : ''}`);
  if (verdict.kind !== 'changed') return true;
  const choice = await vscode.window.showErrorMessage(
    `The host key of ${host.id} (${host.ip}) is not the one remembered for that address in ${host.settings.paths.knownHosts}. ` +
      'fal reuses IP addresses, so this is expected when the address belonged to an instance you deleted — but it can also mean the connection is being intercepted. ' +
      'Forget the old key and trust the new one on the next connection?',
    { modal: false },
    FORGET,
  );
  if (choice === FORGET) await forgetHostKey(log, host.id, host.ip, host.settings);
  return false;
}

export async function forgetHostKey(log: vscode.LogOutputChannel, id: string, ip: string, settings: SshSettings): Promise<void> {
  const removed = await forgetHost(settings.paths.knownHosts, ip, settings.port);
  log.info(`${id}: forgot ${removed} host key line(s) of ${ip}:${settings.port} in ${settings.paths.knownHosts}`);
  void vscode.window.showInformationMessage(
    removed ? `Forgot the old host key of ${ip}; the next connection trusts the instance's new key.` : `No host key of ${ip} was remembered in ${settings.paths.knownHosts}.`,
  );
}
