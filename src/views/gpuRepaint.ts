// Which parts of the tree a new GPU sample changes. A repaint of a row closes its open tooltip
// (VS Code re-renders the row), so a sample that changes nothing on screen repaints nothing, and
// one that changes only a GPU's line repaints only that line. No vscode import (unit-tested).
import type { GpuState } from '../gpu';
import { gpuLines, gpuRowPart, type GpuLine } from './gpuPresentation';

/** What one instance shows: its row, and each child line by key. */
export interface Rendered {
  readonly row: string;
  readonly lines: ReadonlyMap<string, string>;
}

export function rendered(state: GpuState | undefined, idle: boolean): Rendered {
  const lines = new Map<string, string>();
  const add = (l: GpuLine) => {
    const { children, ...shown } = l;
    lines.set(l.key, JSON.stringify([shown, children?.map((c) => c.key) ?? []]));
    for (const c of children ?? []) add(c);
  };
  for (const l of gpuLines(state)) add(l);
  // The idle state is in the row's tooltip: a change of it repaints the row (rarely).
  return { row: JSON.stringify([gpuRowPart(state) ?? null, idle]), lines };
}

/**
 * A row is also repainted when its last repaint is this old, so its tooltip (built on hover and
 * kept by VS Code until the row repaints) is never more than a minute behind: the history, "idle
 * for 42 min". An open tooltip closes at most once a minute for that.
 */
export const ROW_REFRESH_MS = 60_000;

/**
 * `row`: repaint the row (and so its children); else the keys of the lines to repaint (often
 * none). `rowAgeMs`: time since the row was last repainted.
 */
export function whatToRepaint(
  before: Rendered | undefined,
  after: Rendered,
  rowAgeMs = 0,
): { row: boolean; lines: string[] } {
  if (!before || before.row !== after.row || before.lines.size !== after.lines.size || rowAgeMs >= ROW_REFRESH_MS)
    return { row: true, lines: [] };
  const lines: string[] = [];
  for (const [key, text] of after.lines) {
    const old = before.lines.get(key);
    if (old === undefined) return { row: true, lines: [] };
    if (old !== text) lines.push(key);
  }
  return { row: false, lines };
}
