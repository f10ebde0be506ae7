// Waiting for a condition that another process (code-server, sshd, the extension) makes true.
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `get` until `ok` holds, or fails after `timeout` ms naming `what` and the last value. */
export async function waitFor<T>(
  what: string,
  get: () => T | Promise<T>,
  ok: (v: T) => boolean,
  timeout = 20_000,
  intervalMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const v = await get();
    if (ok(v)) return v;
    if (Date.now() > deadline)
      throw new Error(
        `timed out waiting for ${what}; last: ${String(typeof v === 'object' ? JSON.stringify(v) : v).slice(-3000)}`,
      );
    await sleep(intervalMs);
  }
}
