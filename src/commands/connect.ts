// "Connect…" and "Connect When Ready": a Remote-SSH window on the instance as the configured user.
// The key is asked before any waiting, so "Connect when ready" needs nobody at the keyboard later.
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { isTransitional, statusLook } from '../core/status';
import type { InstancesController } from '../instances/instancesController';
import type { InstanceKeyStore } from '../instances/instanceKeyStore';
import type { NameLookup } from '../instances/instanceNames';
import type { Milestones } from '../views/gettingStarted';
import { openRemoteWindow, waitUntilReady } from '../remote/connectFlow';
import { chooseKey, prepareHost } from '../remote/hostPreparation';
import { waitForSetup, type SetupWaiter } from '../remote/setupWait';
import { pickInstance } from './instancePicker';
import { showWarningMessage } from '../notifications';

export interface RemoteDeps {
  readonly controller: Pick<InstancesController, 'model' | 'scheduler'>;
  readonly keyStore: InstanceKeyStore;
  readonly names?: NameLookup;
  readonly milestones?: Milestones;
  readonly log: vscode.LogOutputChannel;
  /** Setup on ready: Connect waits until it ends (remote/setupWait.ts). */
  readonly setup?: SetupWaiter;
}

export async function connect(deps: RemoteDeps, arg: unknown): Promise<void> {
  const { model, scheduler } = deps.controller;
  let record = await pickInstance(
    model,
    arg,
    l10n.t('Connect to which instance?'),
    (r) => r.instance.status === 'ready' || isTransitional(r.instance.status),
    deps.names,
  );
  if (!record) return;
  const { id } = record.instance;
  deps.log.info(`Connect ${id}: status ${record.instance.status}, ip ${record.instance.ip ?? '(none)'}`);
  const identityFile = await chooseKey(deps, id);
  if (!identityFile) {
    deps.log.info(`Connect ${id}: no key chosen; stopped`);
    return;
  }
  if (isTransitional(record.instance.status) || (record.instance.status === 'ready' && !record.instance.ip)) {
    const outcome = await waitUntilReady({ model, scheduler, log: deps.log }, id, deps.names?.get(id));
    if (outcome.kind === 'gone') {
      void showWarningMessage(l10n.t`Instance ${id} is no longer listed; it may have been deleted.`);
      return;
    }
    if (outcome.kind === 'noKey') return; // the view and the status bar say why
    record = outcome.record;
  }
  if (record.instance.status !== 'ready') {
    deps.log.warn(`Connect ${id}: not ready (${record.instance.status})`);
    void showWarningMessage(
      l10n.t`Instance ${id} is ${statusLook(record.instance.status).label}; only a ready instance accepts SSH connections.`,
    );
    return;
  }
  if (!(await waitForSetup(deps.setup, deps.log, id, deps.names?.get(id) ?? id))) return;
  const host = await prepareHost(deps, record, 'connect', identityFile);
  if (host) await openRemoteWindow(deps, host);
}
