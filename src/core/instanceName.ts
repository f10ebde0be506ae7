// Names for machines. fal's API has no name field, so a name is the user's own words, kept in VS
// Code on this computer (instances/instanceNames.ts). Pure (no `vscode`), unit-tested.
//
// A name is shown in the tree, toasts, modals and a terminal title, and written into an SSH config
// comment, so it is one short line of visible text: control characters, line and paragraph
// separators and bidi overrides (which can make text read differently from what it is) are refused
// when typed and removed from anything read back (a hand-edited state file, a folder name).
import * as l10n from '@vscode/l10n';
import { machineLabel } from './instanceTypes';

export const MAX_NAME_LENGTH = 40;

// C0/C1 controls and DEL; U+2028/2029; bidi embeddings, overrides, isolates and marks.
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/u;
const INVISIBLE_ALL = new RegExp(INVISIBLE.source, 'gu');

/** Why `text` cannot be a name, or undefined when it can (an empty text removes the name). */
export function nameProblem(text: string): string | undefined {
  if (INVISIBLE.test(text))
    return l10n.t('A name is one line of visible text: no line breaks, tabs or other control characters.');
  if ([...text.trim()].length > MAX_NAME_LENGTH) return l10n.t`A name has at most ${MAX_NAME_LENGTH} characters.`;
  return undefined;
}

/** The name as stored and shown: invisible characters removed, spaces collapsed, at most MAX_NAME_LENGTH; undefined when nothing is left. */
export function cleanName(text: string | undefined): string | undefined {
  if (typeof text !== 'string') return undefined;
  const clean = [...text.replace(INVISIBLE_ALL, ' ').replace(/\s+/gu, ' ').trim()]
    .slice(0, MAX_NAME_LENGTH)
    .join('')
    .trim();
  return clean || undefined;
}

/**
 * The name the create wizard proposes: the workspace folder's name, made unique among the names
 * already in use (`api`, `api 2`, `api 3`…) so two rows never read the same.
 */
export function proposedName(folderName: string | undefined, taken: Iterable<string>): string | undefined {
  const base = cleanName(folderName);
  if (!base) return undefined;
  const used = new Set([...taken].map((n) => n.toLowerCase()));
  if (!used.has(base.toLowerCase())) return base;
  for (let n = 2; ; n++) {
    const suffix = ` ${n}`;
    const candidate = `${[...base]
      .slice(0, MAX_NAME_LENGTH - suffix.length)
      .join('')
      .trim()}${suffix}`;
    if (!used.has(candidate.toLowerCase())) return candidate;
  }
}

/** How prose names an instance: "api (8x H100)" with a name, "8x H100 inst_abc" without. */
export function instanceTitle(
  instance: { readonly id: string; readonly instance_type: string },
  name: string | undefined,
): string {
  return name
    ? `${name} (${machineLabel(instance.instance_type)})`
    : `${machineLabel(instance.instance_type)} ${instance.id}`;
}
