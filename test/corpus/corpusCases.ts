// The real-world SSH config corpus (116 configs: 75 from public dotfiles repositories, sources in
// SOURCES.txt, and 41 variants described in variants.json). Third-party data: read from
// <repo>/../shared/ssh-config-corpus (CI's clone sits beside `shared` too), never copied here.
import {
  chmodSync,
  chownSync,
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { sshPaths, type SshPaths } from '../../src/ssh/paths';
import { includeLine, INCLUDE_MARKER } from '../../src/ssh/sshConfigFile';
import type { SshConfigErrorCode } from '../../src/ssh/errors';

export const CORPUS_DIR = resolve(__dirname, '../../..', '..', 'shared', 'ssh-config-corpus');

export interface CorpusEntry {
  readonly name: string;
  /** The file in the corpus, or undefined for a setup without one (missing, dangling symlink). */
  readonly file?: string;
  readonly what: string;
  readonly setup?: string;
  readonly expect: 'added' | 'present' | { readonly refused: SshConfigErrorCode };
}

interface VariantJson {
  name: string;
  file: string | null;
  what: string;
  setup?: string;
  expect?: string;
}

/**
 * Where variants.json names no outcome and 'added' is not what OpenSSH semantics call for.
 * v25: `Include fal/config` at the top is relative to ~/.ssh (readconf.c), so it already includes
 * our file above every Host: nothing to add (the line is the user's: it is never removed).
 */
const EXPECT: Readonly<Record<string, CorpusEntry['expect']>> = { 'v25-relative-include-of-managed': 'present' };

export function loadCorpus(): CorpusEntry[] {
  const real = readdirSync(join(CORPUS_DIR, 'real'))
    .filter((f) => f.endsWith('.conf'))
    .sort()
    .map((f): CorpusEntry => ({
      name: f.replace(/\.conf$/, ''),
      file: join(CORPUS_DIR, 'real', f),
      what: 'real config',
      expect: 'added',
    }));
  const variants = (JSON.parse(readFileSync(join(CORPUS_DIR, 'variants.json'), 'utf8')) as VariantJson[]).map(
    (v): CorpusEntry => ({
      name: v.name,
      file: v.file ? join(CORPUS_DIR, 'variants', v.file) : undefined,
      what: v.what,
      setup: v.setup,
      expect:
        EXPECT[v.name] ??
        (v.expect?.startsWith('refused:')
          ? { refused: v.expect.slice('refused:'.length) as SshConfigErrorCode }
          : v.expect === 'present'
            ? 'present'
            : 'added'),
    }),
  );
  return [...real, ...variants];
}

export interface CorpusHome {
  readonly home: string;
  readonly paths: SshPaths;
  /** The bytes the user's config holds (undefined: no file, or a dangling link). */
  readonly original: Buffer | undefined;
  /** Files of the user's that must come out of it all unchanged (a dotfiles copy behind a hard link). */
  readonly untouchable: readonly string[];
}

/** Builds the entry's ~/.ssh (and dotfiles) in `home`, placeholders replaced with our lines. */
export function materialize(entry: CorpusEntry, home: string): CorpusHome {
  const paths = sshPaths(home, entry.setup === 'custom-path' ? '~/dot files/ssh config' : undefined);
  mkdirSync(paths.sshDir, { recursive: true, mode: 0o700 });
  mkdirSync(resolve(paths.userConfig, '..'), { recursive: true });
  const dotfiles = join(home, 'dotfiles');
  const raw = entry.file ? readFileSync(entry.file) : undefined;
  const original =
    raw &&
    Buffer.from(
      raw
        .toString('latin1')
        .replaceAll('{{MARKER}}', INCLUDE_MARKER)
        .replaceAll('{{INCLUDE}}', includeLine(paths.managedConfig, home))
        .replaceAll('{{MANAGEDQ}}', `"${paths.managedConfig}"`),
      'latin1',
    );
  const untouchable: string[] = [];
  const [kind, arg] = (entry.setup ?? '').split(':');
  switch (kind) {
    case 'missing':
      return { home, paths, original: undefined, untouchable };
    case 'symlink-dangling':
      mkdirSync(dotfiles);
      symlinkSync('../dotfiles/ssh_config', paths.userConfig);
      return { home, paths, original: undefined, untouchable };
    case 'symlink':
      mkdirSync(dotfiles);
      writeFileSync(join(dotfiles, 'ssh_config'), original!);
      symlinkSync('../dotfiles/ssh_config', paths.userConfig);
      break;
    case 'symlink-chain':
      mkdirSync(dotfiles);
      writeFileSync(join(dotfiles, 'real_config'), original!);
      symlinkSync('real_config', join(dotfiles, 'link2'));
      symlinkSync('../dotfiles/link2', paths.userConfig);
      break;
    case 'hardlink':
      mkdirSync(dotfiles);
      writeFileSync(join(dotfiles, 'ssh_config'), original!);
      linkSync(join(dotfiles, 'ssh_config'), paths.userConfig);
      untouchable.push(join(dotfiles, 'ssh_config'));
      break;
    default:
      writeFileSync(paths.userConfig, original!, { mode: 0o600 });
  }
  if (kind === 'mode') chmodSync(paths.userConfig, parseInt(arg!, 8));
  if (kind === 'owner' && process.getuid?.() === 0) chownSync(paths.userConfig, Number(arg), Number(arg));
  return { home, paths, original, untouchable };
}

/**
 * Host names to ask ssh about: every Host pattern of the file made concrete (`*` → x, `?` → y;
 * negated ones skipped; what ssh refuses on a command line skipped), at most `max`, plus one
 * name no pattern is meant for.
 */
export function userHosts(
  text: string,
  parse: (line: string) => { keyword?: string; args: readonly string[] },
  max = 12,
): string[] {
  const names = new Set<string>();
  for (const line of text.split(/\r?\n|\r/)) {
    const { keyword, args } = parse(line);
    if (keyword !== 'host') continue;
    for (const pattern of args) {
      const name = pattern.replace(/\*/g, 'x').replace(/\?/g, 'y');
      if (!pattern.startsWith('!') && /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) names.add(name);
    }
  }
  return [...[...names].slice(0, max), 'corpus-probe.example'];
}

export const exists = (path: string): boolean => existsSync(path);
