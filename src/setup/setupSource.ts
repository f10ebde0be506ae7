// Which script a workspace runs on a new machine, decided from what the VS Code side read: the
// bytes of `.fal/setup.sh` in the folder (or its absence) and the `fal.setup.command` setting.
//
// Precedence: the folder's file wins. It is the workspace's own, versioned with the code it sets
// up, and it is what the approval shows; the setting (usually a user-wide default such as "install
// my dotfiles") runs only in a workspace without the file. A file that holds only whitespace says
// "no setup here": nothing runs, and the setting is not used in its place.
import * as l10n from '@vscode/l10n';
import { createHash } from 'node:crypto';

/**
 * The largest script sent. It travels base64 (4/3) inside the single exec argument, which Linux
 * caps at MAX_ARG_STRLEN (128 KiB): 64 KiB of script is 87,384 characters, leaving room for the
 * command around it. A larger setup belongs in the repository, called from a small setup.sh.
 */
export const MAX_SCRIPT_BYTES = 64 * 1024;

export const SETUP_FILE = '.fal/setup.sh';

export interface SetupScript {
  readonly origin: 'file' | 'setting';
  /** Exactly the bytes that run: the file as read, or the setting's text as UTF-8 with a final newline. */
  readonly bytes: Uint8Array;
  /** sha256 of `bytes`, lower-case hex: the key of its approval and of "the same script" on the machine. */
  readonly sha256: string;
  /** The file has CRLF line ends (saved on Windows): bash reads `\r` as part of each command. */
  readonly crlf: boolean;
}

export type SetupChoice =
  | { readonly kind: 'none' }
  | { readonly kind: 'script'; readonly script: SetupScript }
  | { readonly kind: 'tooLarge'; readonly origin: 'file' | 'setting'; readonly bytes: number };

export class SetupScriptTooLargeError extends Error {
  constructor(readonly bytes: number) {
    super(tooLargeText(bytes));
    this.name = 'SetupScriptTooLargeError';
  }
}

export function tooLargeText(bytes: number): string {
  return l10n.t`The setup script is ${bytes} bytes; at most ${MAX_SCRIPT_BYTES} bytes can be sent. Keep the large part in the repository and call it from a short setup script.`;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** What runs: `file` is the bytes of `.fal/setup.sh` (undefined when absent), `command` the setting. */
export function chooseSetupScript(file: Uint8Array | undefined, command: string | undefined): SetupChoice {
  if (file !== undefined) {
    if (Buffer.from(file).toString('latin1').trim() === '') return { kind: 'none' };
    return choice('file', file);
  }
  const text = command?.trim();
  if (!text) return { kind: 'none' };
  return choice('setting', Buffer.from(`${text}\n`, 'utf8'));
}

function choice(origin: 'file' | 'setting', bytes: Uint8Array): SetupChoice {
  if (bytes.length > MAX_SCRIPT_BYTES) return { kind: 'tooLarge', origin, bytes: bytes.length };
  const crlf = Buffer.from(bytes).includes('\r\n');
  return { kind: 'script', script: { origin, bytes, sha256: sha256Hex(bytes), crlf } };
}
