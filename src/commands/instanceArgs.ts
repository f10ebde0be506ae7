// What VS Code passes a command that acts on instances: a tree row (`{kind:'instance', id}`), an
// id (keybindings, notifications), or nothing (the palette). Pure, unit-tested.

export type InstanceArg = { kind?: string; id?: string } | string | undefined | null;

/** The instance id an argument names; undefined for anything else (a group row, garbage). */
export function idOfArg(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg || undefined;
  if (arg && typeof arg === 'object' && 'id' in arg && typeof arg.id === 'string') {
    const kind = 'kind' in arg ? arg.kind : undefined;
    return kind === undefined || kind === 'instance' ? arg.id || undefined : undefined;
  }
  return undefined;
}

/** The ids a context-menu invocation targets: every selected row, else the clicked one. */
export function deleteTargets(node: unknown, selected?: readonly unknown[]): string[] {
  const fromSelection = (selected ?? []).map(idOfArg).filter((id): id is string => !!id);
  const clicked = idOfArg(node);
  // VS Code passes the selection only when the clicked row is part of it.
  const ids =
    fromSelection.length && (!clicked || fromSelection.includes(clicked)) ? fromSelection : clicked ? [clicked] : [];
  return [...new Set(ids)];
}
