// The words setup shows: the row's state, what a start that did nothing or failed means, sizes.
// Worded when shown (l10n.t inside functions), never when the module loads.
import * as l10n from '@vscode/l10n';
import { spanText } from '../base/durations';
import type { StartOutcome } from './setupRemote';
import type { SetupStatus } from './setupStatus';

/** Exit codes of `timeout`: 124 when its TERM ended the script, 137 (128 + KILL) when the script outlived the TERM by its grace (KILL_AFTER_SECONDS). */
export const TIMEOUT_EXIT_CODES: readonly number[] = [124, 137];

/**
 * Did the run end by its timeout? The exit code alone could be the script's own 124, so the run
 * must also have lasted its timeout (the machine's clock, whole seconds).
 */
export function timedOut(status: SetupStatus): boolean {
  if (status.kind !== 'exited' || !TIMEOUT_EXIT_CODES.includes(status.exitCode)) return false;
  return status.endedAtMs - status.run.startedAtMs >= (status.run.timeoutSeconds - 1) * 1000;
}

/**
 * The row's words for a status read at `readAtMs` (our clock), shown at `nowMs`: `setting up… 2 min`,
 * `set up`, `setup failed (exit 1)`, `setup timed out after 30 min`, `setup interrupted`, `setup
 * state unknown`; undefined when the machine has no setup run (the row says nothing new). Elapsed
 * time is the machine's own (start to its answer) plus ours since the answer, so a clock skew
 * between the two machines does not show.
 */
export function setupRowText(status: SetupStatus, readAtMs: number, nowMs: number): string | undefined {
  switch (status.kind) {
    case 'none':
      return undefined;
    case 'unknown':
      return l10n.t('setup state unknown');
    case 'lost':
      return l10n.t('setup interrupted');
    case 'running': {
      const elapsed = status.run.machineNowMs - status.run.startedAtMs + Math.max(0, nowMs - readAtMs);
      return l10n.t`setting up… ${spanText(Math.max(0, elapsed))}`;
    }
    case 'exited':
      if (status.exitCode === 0) return l10n.t('set up');
      if (timedOut(status)) return l10n.t`setup timed out after ${spanText(status.run.timeoutSeconds * 1000)}`;
      return l10n.t`setup failed (exit ${status.exitCode})`;
  }
}

/** One sentence for the tooltip or the log viewer's last line: what the status means in full. */
export function setupStatusDetail(status: SetupStatus): string | undefined {
  switch (status.kind) {
    case 'lost':
      return l10n.t(
        'The setup script stopped without an exit code: the machine may have restarted, or its disk is full. Run Setup Again to start it anew.',
      );
    case 'unknown':
      return l10n.t('The machine gave an answer about setup that could not be read.');
    case 'exited':
      if (timedOut(status))
        return status.exitCode === 137
          ? l10n.t('The setup script was stopped at its time limit and killed when it did not end (exit 137).')
          : l10n.t`The setup script was stopped at its time limit (exit 124).`;
      return undefined;
    default:
      return undefined;
  }
}

/** What a start that ran nothing new means; undefined for `started`. */
export function startOutcomeText(outcome: StartOutcome): string | undefined {
  switch (outcome.kind) {
    case 'started':
      return undefined;
    case 'existing':
      return outcome.sameScript
        ? l10n.t('Setup has already run on this machine (or is running).')
        : l10n.t('This machine was set up with a different setup script. Run Setup Again to run the current one.');
    case 'busy':
      return l10n.t('Setup is still running on this machine; wait for it to finish before running it again.');
    case 'missingTool':
      return l10n.t`Setup cannot run on this machine: it has no \`${outcome.tool}\` (setup needs bash, setsid, timeout, base64 and sha256sum).`;
    case 'failed':
      return failedText(outcome.step);
  }
}

function failedText(step: string): string {
  switch (step) {
    case 'mkdir':
    case 'write':
    case 'rotate':
      return l10n.t('Setup could not write its files on the machine (is its disk full?). Nothing was started.');
    case 'damaged':
      return l10n.t('The setup script arrived changed on the machine. Nothing was started.');
    default:
      return l10n.t('The machine gave an answer about starting setup that could not be read.');
  }
}

/** A byte count for people: "900 B", "12.5 KB", "104.9 MB" (powers of 1000, like the GPU memory figures). */
export function byteSizeText(bytes: number): string {
  if (bytes < 1000) return l10n.t`${bytes} B`;
  if (bytes < 1e6) return l10n.t`${(bytes / 1e3).toFixed(1)} KB`;
  if (bytes < 1e9) return l10n.t`${(bytes / 1e6).toFixed(1)} MB`;
  return l10n.t`${(bytes / 1e9).toFixed(1)} GB`;
}
