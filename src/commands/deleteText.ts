// The words of a delete: what the confirmation names and says is destroyed. Pure, unit-tested.
import * as l10n from '@vscode/l10n';

export interface DeleteSubject {
  id: string;
  label: string;
  ip?: string;
  /** The user's name for the instance. */
  name?: string;
}

export function deleteConfirmation(subjects: readonly DeleteSubject[]): { message: string; detail: string } {
  // A name first (it is how the user knows the machine), and always the type and id (what fal knows).
  const name = (s: DeleteSubject) =>
    s.name
      ? `${s.name} (${s.label} ${s.id}${s.ip ? `, ${s.ip}` : ''})`
      : `${s.label} ${s.id}${s.ip ? ` (${s.ip})` : ''}`;
  const one = subjects.length === 1;
  const message = one ? l10n.t`Delete ${name(subjects[0]!)}?` : l10n.t`Delete ${subjects.length} instances?`;
  const list = one ? '' : `${subjects.map((s) => `• ${name(s)}`).join('\n')}\n\n`;
  const detail =
    list +
    (one
      ? l10n.t(
          'The machine and all its data are destroyed permanently; this cannot be undone. Billing stops once it is deleted.',
        )
      : l10n.t(
          'These machines and all their data are destroyed permanently; this cannot be undone. Billing stops once they are deleted.',
        ));
  return { message, detail };
}
