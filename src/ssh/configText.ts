// Reading ssh_config text the way OpenSSH does (readconf.c + misc.c argv_split, OpenSSH 8.7+),
// line by line with exact byte offsets, so callers can cut or insert whole lines without
// re-serialising (and so normalising) anything that belongs to the user.
import * as l10n from '@vscode/l10n';
import { SshConfigError } from './errors';

export interface ConfigLine {
  /** 0-based line number. */
  readonly index: number;
  /** Byte offset of the line's first byte. */
  readonly start: number;
  /** Byte offset just after the line, including its line break (= next line's start). */
  readonly next: number;
  /** The line without its line break (and without the \r of a CRLF). */
  readonly text: string;
  /** Whether the line ends in a line break (only the last line may not). */
  readonly hasEol: boolean;
}

export interface ConfigText {
  readonly bytes: Buffer;
  /** 3 when the file starts with a UTF-8 byte order mark, else 0. */
  readonly bomLength: number;
  /** The file's own line break: CRLF when its first line break is one, else LF. */
  readonly eol: '\n' | '\r\n';
  readonly lines: readonly ConfigLine[];
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Splits config bytes into lines. Refuses (SshConfigError 'not-text') anything but UTF-8 text. */
export function readConfigText(bytes: Buffer, fileName: string): ConfigText {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new SshConfigError(
      'not-text',
      l10n.t`${fileName} is saved as UTF-16, which OpenSSH cannot read. Save it as UTF-8, then try again.`,
    );
  }
  if (bytes.includes(0)) {
    throw new SshConfigError(
      'not-text',
      l10n.t`${fileName} contains NUL bytes: it does not look like a text file, so it was not changed.`,
    );
  }
  try {
    utf8.decode(bytes);
  } catch {
    throw new SshConfigError(
      'not-text',
      l10n.t`${fileName} is not valid UTF-8 text, so it was not changed (to avoid damaging its other bytes).`,
    );
  }
  const bomLength = bytes.subarray(0, 3).equals(BOM) ? 3 : 0;
  const lines: ConfigLine[] = [];
  let start = bomLength;
  while (start < bytes.length) {
    const lf = bytes.indexOf(0x0a, start);
    const hasEol = lf !== -1;
    const next = hasEol ? lf + 1 : bytes.length;
    let end = hasEol ? lf : bytes.length;
    if (end > start && bytes[end - 1] === 0x0d) end--;
    lines.push({ index: lines.length, start, next, text: bytes.toString('utf8', start, end), hasEol });
    start = next;
  }
  const firstLf = bytes.indexOf(0x0a, bomLength);
  const eol = firstLf > 0 && bytes[firstLf - 1] === 0x0d ? '\r\n' : '\n';
  return { bytes, bomLength, eol, lines };
}

export interface ParsedLine {
  /** Lower-cased keyword; undefined for blank and comment lines. */
  readonly keyword?: string;
  /** Arguments after argv_split (quotes removed, escapes resolved, trailing `# comment` dropped). */
  readonly args: readonly string[];
  /** Set when OpenSSH would reject the line (e.g. an unterminated quote). */
  readonly error?: string;
}

const WHITESPACE = ' \t\r\n';

/** One config line split like readconf.c: keyword (whitespace, `"` or one `=` ends it), then argv_split. */
export function parseConfigLine(text: string): ParsedLine {
  let s = text.replace(/[ \t\r\n\f]+$/, '');
  s = s.replace(/^[ \t\r\n]+/, '');
  if (s === '' || s.startsWith('#')) return { args: [] };
  let keyword: string;
  let rest: string;
  if (s.startsWith('"')) {
    const close = s.indexOf('"', 1);
    // l10n-exempt: a parse result for code (no caller shows ParsedLine.error), like readconf.c's own check
    if (close === -1) return { keyword: s.slice(1).toLowerCase(), args: [], error: 'unterminated quote' };
    keyword = s.slice(1, close);
    rest = s.slice(close + 1);
  } else {
    const end = s.search(/[ \t\r\n"=]/);
    keyword = end === -1 ? s : s.slice(0, end);
    rest = end === -1 ? '' : s.slice(end);
  }
  // Separator: whitespace with at most one "=" in it.
  let i = 0;
  while (i < rest.length && WHITESPACE.includes(rest[i]!)) i++;
  if (rest[i] === '=') i++;
  while (i < rest.length && WHITESPACE.includes(rest[i]!)) i++;
  const split = argvSplit(rest.slice(i));
  return { keyword: keyword.toLowerCase(), ...split };
}

/** misc.c argv_split(…, terminate_on_comment=1). */
function argvSplit(s: string): { args: string[]; error?: string } {
  const args: string[] = [];
  let i = 0;
  while (i < s.length) {
    if (s[i] === ' ' || s[i] === '\t') {
      i++;
      continue;
    }
    if (s[i] === '#') break;
    let arg = '';
    let quote = '';
    for (; i < s.length; i++) {
      const c = s[i]!;
      if (c === '\\') {
        const n = s[i + 1];
        if (n === "'" || n === '"' || n === '\\' || (quote === '' && n === ' ')) {
          i++;
          arg += n;
        } else {
          arg += c;
        }
      } else if (quote === '' && (c === ' ' || c === '\t')) {
        break;
      } else if (quote === '' && (c === '"' || c === "'")) {
        quote = c;
      } else if (quote !== '' && c === quote) {
        quote = '';
      } else {
        arg += c;
      }
    }
    // l10n-exempt: a parse result for code (no caller shows ParsedLine.error), like readconf.c's own check
    if (quote !== '') return { args, error: 'unterminated quote' };
    args.push(arg);
  }
  return { args };
}

export const isSectionKeyword = (keyword: string | undefined): boolean => keyword === 'host' || keyword === 'match';
