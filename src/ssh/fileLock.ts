// A cross-process lock (every VS Code window runs its own extension host, and two windows may
// create instances at the same moment): mkdir is atomic on every OS and file system we care about.
// A lock older than `staleMs` is left over from a crashed process and is taken over.
import { mkdir, rm, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import * as l10n from '@vscode/l10n';
import { now } from '../base/timers';
import { SshConfigError } from './errors';
import { errorCode } from './nodeErrors';

export interface FileLockOptions {
  readonly timeoutMs?: number;
  readonly staleMs?: number;
  readonly retryMs?: number;
}

export async function withFileLock<T>(
  lockPath: string,
  fn: () => Promise<T>,
  options: FileLockOptions = {},
): Promise<T> {
  const { timeoutMs = 5000, staleMs = 10_000, retryMs = 10 } = options;
  const deadline = now() + timeoutMs;
  for (;;) {
    try {
      await mkdir(lockPath, { mode: 0o700 });
      break;
    } catch (e) {
      if (errorCode(e) !== 'EEXIST') throw e;
    }
    const info = await stat(lockPath).catch(() => undefined);
    if (info && now() - info.mtimeMs > staleMs) {
      await rm(lockPath, { recursive: true, force: true });
      continue;
    }
    if (now() > deadline) {
      throw new SshConfigError(
        'locked',
        l10n.t`Another VS Code window is updating the SSH config (lock ${lockPath}). Try again in a moment.`,
      );
    }
    await sleep(retryMs);
  }
  try {
    return await fn();
  } finally {
    await rm(lockPath, { recursive: true, force: true });
  }
}
