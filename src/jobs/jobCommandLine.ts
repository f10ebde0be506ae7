// The command a job runs when the user has not written one: the active file with its interpreter,
// relative to the workspace's copy on the machine, quoted as one shell word. And the job's name.
import { posix } from 'node:path';
import { shellQuote } from '../setup/remoteShell';

const INTERPRETERS: Readonly<Record<string, string>> = { '.py': 'python3', '.sh': 'bash' };

/** Files Run on H100 offers to run as they are (the editor-title button shows for these). */
export const RUNNABLE_EXTENSIONS = Object.keys(INTERPRETERS);

/** `python3 train.py` for `train.py`; undefined for a file without a known interpreter. */
export function defaultCommandFor(relativePath: string): string | undefined {
  const path = relativePath.split('\\').join('/');
  const interpreter = INTERPRETERS[posix.extname(path).toLowerCase()];
  if (!interpreter || path.startsWith('../') || posix.isAbsolute(path)) return undefined;
  return `${interpreter} ${/^[A-Za-z0-9._/-]+$/.test(path) ? path : shellQuote(path)}`;
}

/** A job's name: the file it runs when the command names one (`train.py`), else the command's start. */
export function jobNameFor(command: string): string {
  // Quoted words stay whole (`python3 'my run.py'`), as the shell reads them.
  const words = command.trim().match(/'[^']*'|"[^"]*"|\S+/g) ?? [];
  const file = words.find((w) => /\.(py|sh|ipynb)['"]?$/i.test(w));
  const name = file ? posix.basename(file.replace(/^['"]|['"]$/g, '')) : words.slice(0, 3).join(' ');
  return [...name].slice(0, 60).join('') || 'job';
}
