// Which of the machine's files are results: the entries of its manifest that fal.results.paths
// match (globs read as .gitignore lines, relative to the machine's copy). A matching entry that
// must not become a local file is refused by name with the reason: a name that could leave the
// folder or that the local system refuses, a link, a device, pipe or socket. Pure.
import * as l10n from '@vscode/l10n';
import ignore from 'ignore';
import type { LeftOut } from './localTree';
import type { RemoteEntry } from './manifest';
import { unsafeNameReason, type PathRules } from './pathSafety';
import { inStaging } from './remoteShell';

export interface ResultSelection {
  readonly wanted: RemoteEntry[];
  readonly refused: LeftOut[];
}

export function selectResults(
  remote: readonly RemoteEntry[],
  globs: readonly string[],
  rules: PathRules,
): ResultSelection {
  const matcher = ignore({ allowRelativePaths: true }).add([...globs]);
  // A name the matcher cannot even read (absolute, '..') counts as matching: it is then refused by name.
  const matches = (path: string) => {
    try {
      return matcher.ignores(path);
    } catch {
      return true;
    }
  };
  const selection: ResultSelection = { wanted: [], refused: [] };
  for (const entry of remote) {
    // An upload's staging folder holds files still in flight: never results.
    if (entry.kind === 'directory' || inStaging(entry.path)) continue;
    // A link to a folder hides what a glob under it would match: it is refused rather than passed over.
    if (!matches(entry.path) && !(entry.kind === 'symlink' && matches(`${entry.path}/x`))) continue;
    const unsafe = entry.utf8 ? unsafeNameReason(entry.path, rules) : l10n.t('the name is not valid UTF-8');
    const reason =
      unsafe ??
      (entry.kind === 'symlink'
        ? l10n.t('a symbolic link')
        : entry.kind === 'other'
          ? l10n.t('a device, pipe or socket')
          : undefined);
    if (reason) selection.refused.push({ path: entry.path, reason });
    else selection.wanted.push(entry);
  }
  return selection;
}
