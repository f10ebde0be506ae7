// The steps of Connect after the host entry: waiting until the instance is ready (by watching the
// model while holding the scheduler in fast mode — never polling on its own), the SSH port probe,
// the Remote-SSH window, and the fallback when Remote-SSH is missing.
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { errorText } from '../base/errorText';
import { now } from '../base/timers';
import { waitForInstance, type WaitOutcome } from '../core/instanceWait';
import type { InstancesModel } from '../core/instancesModel';
import type { RefreshScheduler } from '../core/refreshScheduler';
import { notificationText } from '../core/markdownText';
import { statusLook } from '../core/status';
import { waitForTcp } from '../ssh';
import { REMOTE_SSH_EXTENSIONS, REMOTE_SSH_TO_INSTALL, remoteFolderUri, remoteSshProvider } from '../ssh/remoteSsh';
import { checkHostKey, type PreparedHost } from './hostKeyCheck';
import { openSshInTerminalButton, openTerminal, type HostDeps } from './hostPreparation';
import { showErrorMessage, showWarningMessage } from '../notifications';

export interface WaitDeps {
  readonly model: InstancesModel;
  readonly scheduler: Pick<RefreshScheduler, 'beginOperation'>;
  readonly log: vscode.LogOutputChannel;
}

/** Shows a cancellable progress until `id` settles; throws CancellationError when the user cancels. */
export async function waitUntilReady(deps: WaitDeps, id: string, name?: string): Promise<WaitOutcome> {
  deps.log.info(`Connect ${id}: waiting until ready`);
  const started = now();
  const release = deps.scheduler.beginOperation({ waitingFor: id }); // asked by id every second meanwhile
  try {
    const outcome = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: notificationText(l10n.t`Connect when ready: ${name ?? id}`),
        cancellable: true,
      },
      (progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort(new vscode.CancellationError()));
        const say = (status: string) =>
          progress.report({
            message: notificationText(l10n.t`${statusLook(status).label}… — will connect when ready`),
          });
        const current = deps.model.get(id);
        if (current) say(current.instance.status);
        return waitForInstance(deps.model, id, { signal: abort.signal, onProgress: (r) => say(r.instance.status) });
      },
    );
    const seconds = Math.round((now() - started) / 1000);
    deps.log.info(
      `Connect ${id}: ${outcome.kind === 'settled' ? `now ${outcome.record.instance.status}` : outcome.kind} after ${seconds} s`,
    );
    return outcome;
  } finally {
    release();
  }
}

/** Waits for the SSH port (a few short tries, cancellable). false when it never answered or the user stopped. */
async function probePort(deps: HostDeps, host: PreparedHost): Promise<boolean> {
  const { ip, settings, id } = host;
  try {
    await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: notificationText(l10n.t`Connecting to ${host.name ?? id}`),
        cancellable: true,
      },
      async (progress, token) => {
        const abort = new AbortController();
        const sub = token.onCancellationRequested(() => abort.abort(new vscode.CancellationError()));
        try {
          await waitForTcp(ip, settings.port, {
            attempts: 5,
            timeoutMs: 3000,
            delayMs: 2000,
            signal: abort.signal,
            onAttempt: (attempt, attempts) => {
              deps.log.info(`Connect ${id}: probing ${ip}:${settings.port} (${attempt}/${attempts})`);
              progress.report({
                message: notificationText(l10n.t`waiting for SSH on ${ip}:${settings.port} (${attempt}/${attempts})…`),
              });
            },
          });
        } finally {
          sub.dispose();
        }
      },
    );
    deps.log.info(`Connect ${id}: ${ip}:${settings.port} accepts TCP connections`);
    return true;
  } catch (e) {
    if (e instanceof vscode.CancellationError) throw e;
    const message = errorText(e);
    deps.log.warn(`Connect ${id}: ${message}`);
    const tryAgain = l10n.t('Try Again');
    const openSshInTerminal = openSshInTerminalButton();
    const choice = await showErrorMessage(
      l10n.t`Cannot reach ${id}: ${message}. A new machine can take a minute more to accept SSH.`,
      tryAgain,
      openSshInTerminal,
    );
    if (choice === tryAgain) return probePort(deps, host);
    if (choice === openSshInTerminal) await openTerminal(deps, host, false);
    return false;
  }
}

/** Opens the Remote-SSH window on the prepared host (probe and host-key check first), or offers the fallbacks. */
export async function openRemoteWindow(deps: HostDeps, host: PreparedHost): Promise<void> {
  const { id } = host;
  const provider = remoteSshProvider((extId) => vscode.extensions.getExtension(extId) !== undefined);
  deps.log.info(
    `Connect ${id}: Remote-SSH provider ${provider ?? `none (looked for ${REMOTE_SSH_EXTENSIONS.join(', ')})`}`,
  );
  if (!provider) return offerRemoteSshFallback(deps, host);
  if (!(await probePort(deps, host))) return;
  if (!(await checkHostKey(deps.log, host))) return;
  const uriText = remoteFolderUri(host.alias, host.settings.user);
  const forceNewWindow = host.settings.openIn === 'newWindow';
  deps.log.info(
    `Connect ${id}: opening ${uriText} (${forceNewWindow ? 'new window' : 'this window'}) with ${provider}`,
  );
  deps.milestones?.reached('connected'); // before: a window replaced by the remote one runs nothing after
  await vscode.commands.executeCommand('vscode.openFolder', vscode.Uri.parse(uriText), { forceNewWindow });
  deps.log.info(`Connect ${id}: vscode.openFolder returned`);
}

async function offerRemoteSshFallback(deps: HostDeps, host: PreparedHost): Promise<void> {
  const install = l10n.t('Install Remote - SSH');
  const openSshInTerminal = openSshInTerminalButton();
  const choice = await showWarningMessage(
    l10n.t`Opening ${host.id} in a VS Code window needs the Remote - SSH extension, which is not installed. Install it, or open SSH in a terminal instead.`,
    install,
    openSshInTerminal,
  );
  deps.log.info(`Connect ${host.id}: Remote-SSH missing; chose ${choice ?? 'nothing'}`);
  if (choice === install) {
    await vscode.commands
      .executeCommand('workbench.extensions.search', `@id:${REMOTE_SSH_TO_INSTALL}`)
      .then(undefined, () => vscode.commands.executeCommand('extension.open', REMOTE_SSH_TO_INSTALL));
  } else if (choice === openSshInTerminal) {
    await openTerminal(deps, host, false);
  }
}
