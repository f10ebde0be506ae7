// Plain-fetch helpers for the emulator tests (deliberately not the project's API client,
// so the emulator is checked against fal's spec on its own).
import { DEFAULT_EMULATOR_KEY, FalEmulator, type EmulatorOptions } from '../../emulator';

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON body; undefined when the body is empty. Loosely typed to keep assertions short. */
  json: any;
}

export interface CallOptions {
  /** The key sent as `Authorization: Key <key>`; null sends no Authorization header. */
  key?: string | null;
  /** A literal Authorization header (overrides `key`). */
  authorization?: string;
  idempotencyKey?: string;
  /** JSON-encoded and sent with Content-Type: application/json. */
  body?: unknown;
  /** Sent as is, with `contentType` (default application/json). */
  rawBody?: string;
  contentType?: string;
}

/** Calls `baseUrl + path` (path like '/compute/instances') and reads the whole reply. */
export async function call(baseUrl: string, method: string, path: string, opts: CallOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = {};
  const key = opts.key === undefined ? DEFAULT_EMULATOR_KEY : opts.key;
  if (opts.authorization !== undefined) headers.authorization = opts.authorization;
  else if (key !== null) headers.authorization = `Key ${key}`;
  if (opts.idempotencyKey !== undefined) headers['idempotency-key'] = opts.idempotencyKey;
  const body = opts.rawBody ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
  if (body !== undefined) headers['content-type'] = opts.contentType ?? 'application/json';
  const res = await fetch(baseUrl + path, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: text === '' ? undefined : JSON.parse(text) };
}

export const VALID_CREATE = {
  instance_type: 'gpu_1x_h100_sxm5',
  ssh_key: 'ssh-rsa AAAAB3NzaC1yc2E test@host',
} as const;

export function create(emulator: FalEmulator, body: unknown = VALID_CREATE, opts: CallOptions = {}): Promise<Reply> {
  return call(emulator.baseUrl, 'POST', '/compute/instances', { body, ...opts });
}

/** A clock the test moves by hand. */
export function manualClock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms) };
}

/**
 * Starts an emulator for a `describe` block and closes it afterwards; `get()` returns it.
 * A fresh emulator per test keeps tests independent.
 */
export function useEmulator(opts: EmulatorOptions | (() => EmulatorOptions) = {}): () => FalEmulator {
  let emulator: FalEmulator | undefined;
  beforeEach(async () => {
    emulator = await FalEmulator.start(typeof opts === 'function' ? opts() : opts);
  });
  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
  });
  return () => {
    if (!emulator) throw new Error('the emulator runs only inside a test');
    return emulator;
  };
}
