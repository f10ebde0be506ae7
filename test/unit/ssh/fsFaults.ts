// Filesystem fault injection for the SSH writers: the n-th operation that writes data fails the
// way a full or broken disk fails it — a write stores only its first half and then throws ENOSPC,
// an fsync or rename throws EIO, creating a file or folder throws ENOSPC. The writers call
// node:fs/promises through the module object at call time (esbuild's CommonJS output), so
// replacing its functions here reaches them without any test hook in the production code.
// Only one fault per run: the cleanup that follows it runs on a working disk, as it would after
// a disk that was full for a moment.
import fsp = require('node:fs/promises');
import type { FileHandle } from 'node:fs/promises';

const fs = fsp as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;

export interface FaultRun {
  /** Operations seen, in order (`writeFile /path`, `rename /a → /b`, …). */
  readonly ops: string[];
  /** The operation that failed, if the run got that far. */
  readonly failed?: string;
}

const fault = (code: string, what: string) =>
  Object.assign(new Error(`${code}: injected fault, ${what}`), { code, errno: -28, syscall: what });

/**
 * Runs fn with the failAt-th data-writing operation failing (1-based; undefined: none fails,
 * just count). Resolves with fn's error (or undefined) and the operations seen.
 */
export async function withFaultAt(
  failAt: number | undefined,
  fn: () => Promise<unknown>,
): Promise<FaultRun & { error?: unknown }> {
  const ops: string[] = [];
  let failed: string | undefined;
  const next = (op: string) => {
    ops.push(op);
    if (ops.length === failAt) {
      failed = op;
      return true;
    }
    return false;
  };
  const saved = new Map<string, (...args: unknown[]) => Promise<unknown>>();
  const patch = (
    name: string,
    wrapper: (orig: (...args: unknown[]) => Promise<unknown>) => (...args: unknown[]) => Promise<unknown>,
  ) => {
    saved.set(name, fs[name]!);
    fs[name] = wrapper(fs[name]!);
  };

  patch('writeFile', (orig) => async (path, data, ...rest) => {
    if (!next(`writeFile ${String(path)}`)) return orig(path, data, ...rest);
    const bytes = Buffer.from(data as Buffer | string);
    await orig(path, bytes.subarray(0, bytes.length >> 1), ...rest);
    throw fault('ENOSPC', 'write');
  });
  patch(
    'rename',
    (orig) => async (from, to) =>
      next(`rename ${String(from)} → ${String(to)}`) ? Promise.reject(fault('EIO', 'rename')) : orig(from, to),
  );
  patch(
    'mkdir',
    (orig) =>
      async (path, ...rest) =>
        next(`mkdir ${String(path)}`) ? Promise.reject(fault('ENOSPC', 'mkdir')) : orig(path, ...rest),
  );
  patch(
    'copyFile',
    (orig) =>
      async (from, to, ...rest) =>
        next(`copyFile ${String(to)}`) ? Promise.reject(fault('ENOSPC', 'copyfile')) : orig(from, to, ...rest),
  );
  patch('open', (orig) => async (path, flags, ...rest) => {
    const writing = typeof flags === 'string' && /[wax+]/.test(flags);
    if (writing && next(`open ${String(path)} ${flags}`)) throw fault('ENOSPC', 'open');
    const handle = (await orig(path, flags, ...rest)) as FileHandle;
    if (!writing) return handle;
    return faultyHandle(handle, String(path), next);
  });
  try {
    const error = await fn().then(
      () => undefined,
      (e: unknown) => e,
    );
    return { ops, failed, error };
  } finally {
    for (const [name, orig] of saved) fs[name] = orig;
  }
}

function faultyHandle(handle: FileHandle, path: string, next: (op: string) => boolean): FileHandle {
  return new Proxy(handle, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      if (prop === 'writeFile' || prop === 'write') {
        return async (data: Buffer | string, ...rest: unknown[]) => {
          if (!next(`${String(prop)} ${path}`))
            return (value as (...a: unknown[]) => Promise<unknown>).call(target, data, ...rest);
          const bytes = Buffer.from(data);
          await target.write(bytes, 0, bytes.length >> 1);
          throw fault('ENOSPC', 'write');
        };
      }
      if (prop === 'sync' || prop === 'chmod' || prop === 'chown') {
        return async (...args: unknown[]) =>
          next(`${String(prop)} ${path}`)
            ? Promise.reject(fault('EIO', String(prop)))
            : (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
      }
      return (value as (...a: unknown[]) => unknown).bind(target);
    },
  });
}
