// Connect waits for setup: a machine whose setup still runs is not the machine the user asked for
// yet (their environment is half installed), so Connect When Ready goes on only when setup ends —
// or at once with **Connect Now**. A failed setup asks before connecting.
import * as l10n from '@vscode/l10n';
import type * as vscode from 'vscode';
import { executeFalCommand } from '../falCommands';
import { showInformationMessage, showWarningMessage } from '../notifications';
import type { SetupCoordinator } from '../setup';
import { setupRowText } from '../setup/setupWords';

export type SetupWaiter = Pick<SetupCoordinator, 'pending' | 'waitUntilSettled'>;

/** true to connect now; false when the user stopped. */
export async function waitForSetup(
  setup: SetupWaiter | undefined,
  log: vscode.LogOutputChannel,
  id: string,
  name: string,
): Promise<boolean> {
  if (!setup?.pending(id)) return true;
  log.info(`Connect ${id}: waiting for setup to end`);
  const abort = new AbortController();
  const connectNow = l10n.t('Connect Now');
  const showLog = l10n.t('Show Setup Log');
  const cancel = l10n.t('Cancel');
  const settled = setup.waitUntilSettled(id, abort.signal).then((status) => ({ kind: 'settled' as const, status }));
  for (;;) {
    const asked = showInformationMessage(
      l10n.t`${name} is being set up: Connect When Ready connects when setup ends.`,
      connectNow,
      showLog,
      cancel,
    ).then((choice) => ({ kind: 'choice' as const, choice }));
    const first = await Promise.race([settled, asked]);
    if (first.kind === 'choice' && first.choice === showLog) {
      await executeFalCommand('fal.showSetupLog', id);
      continue; // still waiting, with a fresh notification
    }
    abort.abort();
    if (first.kind === 'choice') {
      // Closing the notification without a choice leaves the wait to setup's end.
      if (first.choice === undefined) return settledOutcome(await settled, log, id, name);
      log.info(`Connect ${id}: ${first.choice === connectNow ? 'connect now, setup still running' : 'stopped'}`);
      return first.choice === connectNow;
    }
    return settledOutcome(first, log, id, name);
  }
}

async function settledOutcome(
  settled: { status: Awaited<ReturnType<SetupWaiter['waitUntilSettled']>> },
  log: vscode.LogOutputChannel,
  id: string,
  name: string,
): Promise<boolean> {
  const status = settled.status;
  log.info(`Connect ${id}: setup ${status?.kind ?? 'no longer watched'}`);
  if (!status || status.kind === 'none' || (status.kind === 'exited' && status.exitCode === 0)) return true;
  const connect = l10n.t('Connect Anyway');
  const showLog = l10n.t('Show Setup Log');
  const choice = await showWarningMessage(
    l10n.t`${name}: ${setupRowText(status, 0, 0) ?? ''}. Connect anyway?`,
    connect,
    showLog,
  );
  if (choice === showLog) await executeFalCommand('fal.showSetupLog', id);
  return choice === connect;
}
