// Our two lines in the user's SSH config — the marker comment and the Include of the managed
// file — and finding them again (in any spelling an earlier version or the user wrote), plus the
// first Host/Match line, above which they must stay.
import { posix, win32 } from 'node:path';
import * as l10n from '@vscode/l10n';
import SSHConfig, { LineType } from 'ssh-config';
import { formatIncludePath, localPathStyle, unglob, type PathStyle } from './configPath';
import { isSectionKeyword, parseConfigLine, type ConfigLine, type ConfigText } from './configText';
import { SshConfigError } from './errors';

export const INCLUDE_MARKER =
  // l10n-exempt: written into the user's ssh_config and found again by its text, the same in every display language
  '# fal-compute: the next line includes the SSH hosts of the fal Compute VS Code extension';
/** A line starting like this (after indentation) is taken as our marker, even if edited after it. */
const MARKER_PREFIX = '# fal-compute:';

/** `Include "<managed file>"`; throws SshConfigError for a path OpenSSH would read differently. */
export function includeLine(managedPath: string, home: string, style: PathStyle = localPathStyle()): string {
  return `Include ${formatIncludePath(managedPath, home, style).arg}`; // l10n-exempt: an ssh_config line, read by ssh
}

/** The marker and the Include, each ending in `eol`. */
export function ourLines(managedPath: string, home: string, style: PathStyle, eol: string): string {
  return `${INCLUDE_MARKER}${eol}${includeLine(managedPath, home, style)}${eol}`;
}

export interface FoundInclude {
  /** Our marker line; absent when the user wrote an Include of our file themselves. */
  readonly marker?: ConfigLine;
  readonly include: ConfigLine;
  /** 'legacy': our own line in a spelling OpenSSH misreads; to be rewritten. */
  readonly reading: IncludeReading;
}

/**
 * Our marker and the Include below it, or an unmarked Include of our file (the user's line, but it
 * does the job). Throws SshConfigError for a duplicated marker, or a marker not followed by an
 * Include of our file: the user edited our lines, and guessing what they meant could lose data.
 */
export function findOurInclude(
  doc: ConfigText,
  managedPath: string,
  fileName: string,
  home: string,
  style: PathStyle,
): FoundInclude | undefined {
  const markers = doc.lines.filter((l) => l.text.trimStart().startsWith(MARKER_PREFIX));
  const readingOf = (line: ConfigLine | undefined): IncludeReading | undefined => {
    if (!line || !/^[ \t]*"?include/i.test(line.text)) return undefined; // cheap pre-check: big files have many lines
    const parsed = parseConfigLine(line.text);
    if (parsed.keyword !== 'include' || parsed.args.length !== 1) return undefined;
    return includeReading(parsed.args[0]!, managedPath, home, style);
  };
  if (markers.length > 1) {
    throw new SshConfigError(
      'duplicate-marker',
      l10n.t`${fileName} contains the fal Compute marker comment ${markers.length} times (lines ${markers.map((m) => m.index + 1).join(', ')}). Keep one marker line with the Include line right below it and delete the others, then try again. Nothing was changed.`,
      markers[1]!.index + 1,
    );
  }
  const marker = markers[0];
  if (marker) {
    const include = doc.lines[marker.index + 1];
    const reading = readingOf(include);
    if (!include || !reading) {
      throw new SshConfigError(
        'broken-marker',
        l10n.t`${fileName} line ${marker.index + 1}: the fal Compute marker comment is not followed by its line ${includeLine(managedPath, home, style)}. Delete the marker line, or put that Include line right below it, then try again. Nothing was changed.`,
        marker.index + 1,
      );
    }
    return { marker, include, reading };
  }
  const include = doc.lines.find((l) => readingOf(l) === 'works');
  return include && { include, reading: 'works' };
}

export type IncludeReading = 'works' | 'legacy';

/**
 * Whether an Include argument (after argv_split) names the managed file. 'works': as OpenSSH
 * reads it (a glob pattern; `~/…`; relative to ~/.ssh). 'legacy': only verbatim, as earlier
 * versions of this extension wrote it, which OpenSSH misreads when the path has a backslash (or,
 * on Windows, reads as relative in some clients, see configPath.ts): rewritten on the next write.
 */
export function includeReading(
  arg: string,
  managedPath: string,
  home: string,
  style: PathStyle,
): IncludeReading | undefined {
  const path = style === 'win32' ? win32 : posix;
  const norm = (p: string) =>
    style === 'win32' ? path.normalize(p).replace(/\//g, '\\').toLowerCase() : path.normalize(p);
  const want = norm(managedPath);
  const homeRelative = (reading: string): string | undefined => {
    if (reading === '~' || reading.startsWith('~/') || (style === 'win32' && reading.startsWith('~\\')))
      return path.join(home, reading.slice(1));
    if (!path.isAbsolute(reading) && !/^[A-Za-z]:/.test(reading)) return path.join(home, '.ssh', reading);
    return style === 'posix' ? reading : undefined; // Windows: only ~-relative spellings work in both clients
  };
  const openssh = style === 'win32' ? arg : unglob(arg);
  const resolved = openssh === undefined ? undefined : homeRelative(openssh);
  if (resolved !== undefined && norm(resolved) === want) return 'works';
  const verbatim = style === 'win32' && /^[\\/][A-Za-z]:[\\/]/.test(arg) ? arg.slice(1) : arg;
  return path.isAbsolute(verbatim) && norm(verbatim) === want ? 'legacy' : undefined;
}

/**
 * The first Host/Match line. Found twice, by our OpenSSH-faithful line reader and by the
 * ssh-config library, and the earlier one wins: placing our Include too early is harmless,
 * too late would hide it inside a block.
 */
export function firstSectionLine(doc: ConfigText): ConfigLine | undefined {
  const own = doc.lines.find((l) => isSectionKeyword(parseConfigLine(l.text).keyword));
  // The library only needs to see the text up to our answer: a section it finds later is moot.
  const end = own ? own.next : doc.bytes.length;
  const byLibrary = firstSectionLineByLibrary(doc.bytes.toString('utf8', doc.bomLength, end));
  const library = byLibrary === undefined ? undefined : doc.lines[byLibrary];
  if (!own) return library;
  if (!library) return own;
  return library.index < own.index ? library : own;
}

/** 0-based line of the first top-level Host/Match per the ssh-config library (undefined if none or unparsable). */
function firstSectionLineByLibrary(text: string): number | undefined {
  let config: SSHConfig;
  try {
    config = SSHConfig.parse(text);
  } catch {
    return undefined; // the library rejects some lines OpenSSH accepts; our own reader still answers
  }
  let newlines = 0;
  const count = (s: string) => s.split('\n').length - 1;
  for (const node of config) {
    newlines += count(node.before);
    if (node.type === LineType.DIRECTIVE && 'config' in node) return newlines;
    newlines += count(node.after);
  }
  return undefined;
}
