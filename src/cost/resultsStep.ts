// The results step of the one delete path (autoDelete.ts), for the idle auto-delete and a lease
// alike: bring the machine's results home through the ResultsSaver (resultsFirst.ts) and say, in
// words fit for "… was not auto-deleted: <reason>.", why the delete must wait when they did not come.
import * as l10n from '@vscode/l10n';
import { errorText } from '../base/errorText';
import type { ResultsSaveOutcome, ResultsSaver, SaveChoices } from './resultsFirst';

/** What the delete path is told along with the request: the spend ledger marks a delete whose results were saved. */
export interface DeleteNote {
  readonly resultsSaved: boolean;
}

/** A save that throws is a failed save: the machine is left running either way. */
export async function saveOutcome(
  saver: ResultsSaver,
  instanceId: string,
  signal?: AbortSignal,
  choices?: SaveChoices,
): Promise<ResultsSaveOutcome> {
  try {
    return await saver.save(instanceId, signal, choices);
  } catch (error) {
    return { kind: 'failed', reason: errorText(error) };
  }
}

/** The reason without the full stop a saver may end it with (the sentence around it has its own). */
export function reasonText(reason: string): string {
  return reason.trim().replace(/[.\s]+$/, '') || l10n.t('no reason given');
}

/** The refusal of a delete whose results did not all come home. */
export function resultsRefusal(reason: string): string {
  return l10n.t`its results could not be downloaded (${reasonText(reason)}), so the machine is left running`;
}

/**
 * Brings `instanceId`'s results home; undefined when every file is home, else the refusal. Each
 * step is logged (in English: the log is read by whoever fixes it).
 */
export async function resultsFirst(
  saver: ResultsSaver,
  instanceId: string,
  log: (message: string) => void,
): Promise<string | undefined> {
  log('downloading the results (fal.results.paths) before deleting');
  const outcome = await saveOutcome(saver, instanceId);
  if (outcome.kind === 'saved') {
    log(`results saved: ${outcome.fetched} fetched, ${outcome.upToDate} already up to date`);
    return undefined;
  }
  log(`results not saved, the machine is left running: ${outcome.reason}`);
  return resultsRefusal(outcome.reason);
}
