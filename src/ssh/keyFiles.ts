// The user's SSH key files: finding the public keys they already have, and creating a new
// ed25519 pair for fal without ever overwriting an existing file.
import { lstat, mkdir, open, readdir, readFile, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import * as l10n from '@vscode/l10n';
import { errorText } from '../base/errorText';
import { encodeOpenSshEd25519PrivateKey, ed25519PublicLine, newEd25519Key } from './openSshPrivateKey';
import { errorCode } from './nodeErrors';
import { isKeyProblem, parsePublicKey, type ParsedPublicKey } from './publicKey';

export interface FoundKey {
  readonly publicKeyPath: string;
  /** The sibling file without `.pub`, when it exists (needed for IdentityFile). */
  readonly privateKeyPath?: string;
  readonly parsed: ParsedPublicKey;
  readonly mtimeMs: number;
}

export interface SkippedKeyFile {
  readonly path: string;
  readonly reason: string;
}

/** A .pub file is one line; anything much bigger is not a public key and is not read into memory. */
const MAX_PUBLIC_KEY_FILE_BYTES = 64 * 1024;

/**
 * Every `*.pub` directly in sshDir, newest first. Files that cannot be read or are not a usable
 * public key (certificates, private keys named .pub, damaged files) are listed in `skipped` with
 * the reason, so the UI can explain why a file it expected is missing. A missing folder is empty.
 */
export async function listPublicKeys(sshDir: string): Promise<{ keys: FoundKey[]; skipped: SkippedKeyFile[] }> {
  const keys: FoundKey[] = [];
  const skipped: SkippedKeyFile[] = [];
  let names: string[];
  try {
    names = await readdir(sshDir);
  } catch (e) {
    if (isCode(e, 'ENOENT') || isCode(e, 'ENOTDIR')) return { keys, skipped };
    return { keys, skipped: [{ path: sshDir, reason: l10n.t`cannot list the folder: ${errorText(e)}` }] };
  }
  for (const name of names.filter((n) => n.endsWith('.pub')).sort()) {
    const publicKeyPath = join(sshDir, name);
    try {
      const info = await stat(publicKeyPath); // follows symlinks: a linked .pub is fine
      if (!info.isFile()) continue; // a folder named x.pub is not a key file; not worth a report
      if (info.size > MAX_PUBLIC_KEY_FILE_BYTES) {
        skipped.push({ path: publicKeyPath, reason: l10n.t`too large for a public key (${info.size} bytes)` });
        continue;
      }
      const parsed = parsePublicKey(await readFile(publicKeyPath, 'utf8'));
      if (isKeyProblem(parsed)) {
        skipped.push({ path: publicKeyPath, reason: parsed.problem });
        continue;
      }
      const privateKeyPath = publicKeyPath.slice(0, -'.pub'.length);
      const hasPrivate = await stat(privateKeyPath).then(
        (s) => s.isFile(),
        () => false,
      );
      keys.push({ publicKeyPath, ...(hasPrivate && { privateKeyPath }), parsed, mtimeMs: info.mtimeMs });
    } catch (e) {
      skipped.push({ path: publicKeyPath, reason: l10n.t`cannot read it: ${errorText(e)}` });
    }
  }
  keys.sort((a, b) => b.mtimeMs - a.mtimeMs || a.publicKeyPath.localeCompare(b.publicKeyPath));
  return { keys, skipped };
}

export interface GenerateKeyPairOptions {
  readonly sshDir: string;
  /** File name of the private key; `_2`, `_3`, … are appended while the name is taken. */
  readonly baseName?: string;
  /** Comment at the end of the public key line; defaults to `fal-compute@<hostname>`. */
  readonly comment?: string;
}

export interface GeneratedKeyPair {
  readonly privateKeyPath: string;
  readonly publicKeyPath: string;
  readonly parsed: ParsedPublicKey;
}

/** The few file-handle operations used to write a new key file; injectable for failure tests. */
export interface NewFileHandle {
  chmod(mode: number): Promise<void>;
  writeFile(data: string): Promise<void>;
  sync(): Promise<void>;
  close(): Promise<void>;
}
export type OpenNewFile = (path: string, flags: 'wx', mode: number) => Promise<NewFileHandle>;

const MAX_NAME_ATTEMPTS = 1000;

/**
 * Creates a new ed25519 key pair in sshDir (created with mode 0700 when missing): the private
 * key in OpenSSH format with mode 0600, the public key with mode 0644.
 *
 * The private key is NOT encrypted: VS Code Remote-SSH cannot reliably prompt for a passphrase
 * (it runs ssh without a terminal), so an encrypted key would make Connect fail or hang. The
 * user can add a passphrase later with `ssh-keygen -p -f <file>` (and an ssh-agent).
 *
 * Never overwrites anything: a name is used only when neither file exists, and both files are
 * opened with O_EXCL (`wx`), so a file created meanwhile by someone else is never replaced.
 * If the public key cannot be written, the private key created here is removed again.
 */
export async function generateKeyPair(
  options: GenerateKeyPairOptions,
  openNewFile: OpenNewFile = open,
): Promise<GeneratedKeyPair> {
  const baseName = options.baseName ?? 'fal_ed25519';
  if (!/^[A-Za-z0-9_][A-Za-z0-9._-]*$/.test(baseName) || baseName.endsWith('.pub')) {
    throw new Error(l10n.t`Invalid key file name "${baseName}": use letters, digits, ".", "_" and "-" only.`);
  }
  const comment = options.comment ?? `fal-compute@${hostname().replace(/[^A-Za-z0-9._-]/g, '') || 'localhost'}`;
  if (/[\r\n\0]/.test(comment)) throw new Error(l10n.t('The key comment must be a single line.'));

  await mkdir(options.sshDir, { recursive: true, mode: 0o700 });
  const key = newEd25519Key();
  const privateText = encodeOpenSshEd25519PrivateKey(key, comment);
  const publicText = `${ed25519PublicLine(key.publicKey, comment)}\n`;

  for (let n = 1; n <= MAX_NAME_ATTEMPTS; n++) {
    const privateKeyPath = join(options.sshDir, n === 1 ? baseName : `${baseName}_${n}`);
    const publicKeyPath = `${privateKeyPath}.pub`;
    if ((await exists(privateKeyPath)) || (await exists(publicKeyPath))) continue;
    try {
      await writeNewFile(openNewFile, privateKeyPath, privateText, 0o600);
    } catch (e) {
      if (isCode(e, 'EEXIST')) continue; // created meanwhile by someone else: try the next name
      throw e;
    }
    try {
      await writeNewFile(openNewFile, publicKeyPath, publicText, 0o644);
    } catch (e) {
      await rm(privateKeyPath, { force: true }); // ours (created with wx above): no orphan private key
      if (isCode(e, 'EEXIST')) continue;
      throw e;
    }
    const parsed = parsePublicKey(publicText);
    if (isKeyProblem(parsed)) throw new Error(l10n.t`generated public key does not parse: ${parsed.problem}`); // a bug, not a user error
    return { privateKeyPath, publicKeyPath, parsed };
  }
  throw new Error(
    l10n.t`Every name from ${baseName} to ${baseName}_${MAX_NAME_ATTEMPTS} is taken in ${options.sshDir}.`,
  );
}

/** Creates path exclusively, writes and syncs it; a file it created but could not fill is removed. */
async function writeNewFile(openNewFile: OpenNewFile, path: string, data: string, mode: number): Promise<void> {
  const handle = await openNewFile(path, 'wx', mode);
  try {
    await handle.chmod(mode); // the open mode is reduced by the umask; set exactly what ssh expects
    await handle.writeFile(data);
    await handle.sync();
  } catch (e) {
    await handle.close().catch(() => undefined);
    await rm(path, { force: true });
    throw e;
  }
  await handle.close();
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path); // lstat: a dangling symlink also makes the name taken
    return true;
  } catch (e) {
    if (isCode(e, 'ENOENT')) return false;
    throw e;
  }
}

const isCode = (e: unknown, code: string): boolean => errorCode(e) === code;
