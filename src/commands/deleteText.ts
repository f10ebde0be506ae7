// The words of a delete: what the confirmation names and says is destroyed, what "Download Results,
// Then Delete" does, and what was left running. Pure, unit-tested.
import * as l10n from '@vscode/l10n';
import { reasonText, resultsRefusal } from '../cost';

export interface DeleteSubject {
  id: string;
  label: string;
  ip?: string;
  /** The user's name for the instance. */
  name?: string;
  /** Not ready (no address): there is nothing to download from it before a delete. */
  notReady?: boolean;
}

/** A name first (it is how the user knows the machine), and always the type and id (what fal knows). */
export function subjectName(s: DeleteSubject): string {
  return s.name
    ? `${s.name} (${s.label} ${s.id}${s.ip ? `, ${s.ip}` : ''})`
    : `${s.label} ${s.id}${s.ip ? ` (${s.ip})` : ''}`;
}

/** The modal's buttons when results paths are set and a machine is ready: the first is the default. */
export const resultsButtons = () => ({
  downloadThenDelete: l10n.t('Download Results, Then Delete'),
  deleteOnly: l10n.t('Delete'),
});

/** `results`: the modal offers Download Results, Then Delete (results paths set, a machine ready). */
export function deleteConfirmation(
  subjects: readonly DeleteSubject[],
  results = false,
): { message: string; detail: string } {
  const one = subjects.length === 1;
  const message = one ? l10n.t`Delete ${subjectName(subjects[0]!)}?` : l10n.t`Delete ${subjects.length} instances?`;
  const list = one ? '' : `${subjects.map((s) => `• ${subjectName(s)}`).join('\n')}\n\n`;
  const detail =
    list +
    (one
      ? l10n.t(
          'The machine and all its data are destroyed permanently; this cannot be undone. Billing stops once it is deleted.',
        )
      : l10n.t(
          'These machines and all their data are destroyed permanently; this cannot be undone. Billing stops once they are deleted.',
        ));
  return { message, detail: results ? detail + resultsDetail(subjects) : detail };
}

function resultsDetail(subjects: readonly DeleteSubject[]): string {
  const { downloadThenDelete, deleteOnly } = resultsButtons();
  const notReady = subjects.filter((s) => s.notReady);
  const how =
    subjects.length === 1
      ? l10n.t`${downloadThenDelete} downloads its results (fal.results.paths) first and deletes it only if they all arrive; otherwise it is left running.`
      : l10n.t`${downloadThenDelete} downloads the results (fal.results.paths) of each machine first and deletes only those whose results all arrive; the others are left running.`;
  const without = notReady.length
    ? `\n\n${l10n.t`Not ready, so there is nothing to download; deleted either way: ${notReady.map(subjectName).join(', ')}.`}`
    : '';
  return `\n\n${how} ${l10n.t`${deleteOnly} deletes without downloading.`}${without}`;
}

/** What was left running because its results did not all arrive (a warning: no button, nothing more is done). */
export function keptMessage(
  kept: readonly { readonly subject: DeleteSubject; readonly reason: string }[],
  deleted: readonly DeleteSubject[],
): string {
  const first = kept[0]!;
  const head =
    kept.length === 1
      ? l10n.t`${subjectName(first.subject)} was not deleted: ${resultsRefusal(first.reason)}.`
      : l10n.t`${kept.length} instances were not deleted: their results could not be downloaded, so they are left running — ${kept
          .map((k) => `${subjectName(k.subject)} (${reasonText(k.reason)})`)
          .join('; ')}.`;
  return deleted.length ? `${head} ${l10n.t`Deleted: ${deleted.map(subjectName).join(', ')}.`}` : head;
}
