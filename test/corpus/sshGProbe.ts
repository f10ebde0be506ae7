// `ssh -G` over third-party configs, safely: an empty PATH (a `Match exec` in them runs nothing),
// HOME set to the test's home (`~` in an Include stays inside it), and the result reduced to
// something comparable: the resolved values, or ssh's error with line numbers made relative.
import { execFile } from 'node:child_process';

export const SSH = '/usr/bin/ssh';

export type Resolution =
  { readonly ok: true; readonly values: Map<string, string> } | { readonly ok: false; readonly error: string };

export interface ProbeOptions {
  readonly home: string;
  /** `-o IgnoreUnknown=*`: options this OpenSSH build does not know (macOS's UseKeychain…) are skipped. */
  readonly ignoreUnknown?: boolean;
}

export function sshG(configFile: string, host: string, options: ProbeOptions): Promise<Resolution> {
  const args = [...(options.ignoreUnknown ? ['-o', 'IgnoreUnknown=*'] : []), '-G', '-F', configFile, host];
  return new Promise((resolve) => {
    execFile(
      SSH,
      args,
      { env: { PATH: '', HOME: options.home }, timeout: 10_000, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (!error) return resolve({ ok: true, values: allValues(stdout) });
        const lines = stderr.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.startsWith('Pseudo-terminal'));
        resolve({ ok: false, error: lines.join('\n') || String(error) });
      },
    );
  });
}

/** keyword → every value ssh printed for it (IdentityFile and others repeat), in order. */
function allValues(stdout: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const space = line.indexOf(' ');
    if (space <= 0) continue;
    const key = line.slice(0, space);
    values.set(key, values.has(key) ? `${values.get(key)}\n${line.slice(space + 1)}` : line.slice(space + 1));
  }
  return values;
}

/** ssh's error about `file` ("<file>: line N: …" / "<file> line N: …"), line numbers moved by `shift`. */
export function shiftLines(error: string, file: string, shift: number): string {
  return error
    .split('\n')
    .map((line) =>
      line.startsWith(`${file}: line `) || line.startsWith(`${file} line `)
        ? line.replace(/ line (\d+)/, (_, n: string) => ` line ${Number(n) + shift}`)
        : line,
    )
    .join('\n');
}

/** The whole resolution as text, for comparing everything ssh resolved. */
export function render(r: Resolution): string {
  return r.ok ? [...r.values].map(([k, v]) => `${k} ${v}`).join('\n') : `ERROR ${r.error}`;
}
