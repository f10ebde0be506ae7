// The words and targets of a delete. Pure, unit-tested.

type NodeLike = { kind?: string; id?: string } | string | undefined | null;

/** The instance ids a context-menu invocation targets: every selected row, else the clicked one. */
export function deleteTargets(node: NodeLike, selected?: readonly NodeLike[]): string[] {
  const idOf = (n: NodeLike): string | undefined => (typeof n === 'string' ? n : n && (n.kind === undefined || n.kind === 'instance') ? n.id : undefined);
  const fromSelection = (selected ?? []).map(idOf).filter((id): id is string => !!id);
  const clicked = idOf(node);
  // VS Code passes the selection only when the clicked row is part of it.
  const ids = fromSelection.length && (!clicked || fromSelection.includes(clicked)) ? fromSelection : clicked ? [clicked] : [];
  return [...new Set(ids)];
}

export interface DeleteSubject {
  id: string;
  label: string;
  ip?: string;
}

export function deleteConfirmation(subjects: readonly DeleteSubject[]): { message: string; detail: string } {
  const name = (s: DeleteSubject) => `${s.label} ${s.id}${s.ip ? ` (${s.ip})` : ''}`;
  const one = subjects.length === 1;
  const message = one ? `Delete ${name(subjects[0]!)}?` : `Delete ${subjects.length} instances?`;
  const list = one ? '' : `${subjects.map((s) => `• ${name(s)}`).join('\n')}\n\n`;
  const detail = `${list}${one ? 'The machine and all its data are' : 'These machines and all their data are'} destroyed permanently; this cannot be undone. Billing stops once ${one ? 'it is' : 'they are'} deleted.`;
  return { message, detail };
}
