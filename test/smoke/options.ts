// The command line of `npm run smoke:live` (test/smoke/live.ts) and where the key comes from.
// The key is read from FAL_KEY or --key-file only (never a flag: it would sit in the shell history
// and in `ps`), checked for its shape, and never printed: messages about it never repeat it.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { checkApiKeyShape, DEFAULT_BASE_URL, type InstanceType } from '../../src/api';

export const INSTANCE_TYPE: InstanceType = 'gpu_1x_h100_sxm5';
/** The longest a run may keep a machine: a typo (150 for 15) must not cost hours. */
export const MAX_MINUTES_LIMIT = 120;

export interface SmokeOptions {
  readonly baseUrl: string;
  readonly keyFile: string | undefined;
  /** Confirmed on the command line: no y/N question (required when stdin is not a terminal). */
  readonly yes: boolean;
  /** The ceiling: the machine is deleted this long after the create was sent, whatever the step. */
  readonly maxMinutes: number;
  readonly reportPath: string;
  readonly sshPort: number;
  readonly sshUser: string;
  /** How long SSH is tried after "ready" (fal says ready a little before sshd answers). */
  readonly sshWaitSeconds: number;
}

export const USAGE = `usage: npm run smoke:live -- [options]
  Creates ONE real, billed 1x H100 on fal, checks it end to end with the extension's own code, and
  deletes it. The key comes from FAL_KEY or --key-file (an ADMIN key); it is never printed or written.

  --yes                  do not ask y/N (required when stdin is not a terminal)
  --max-minutes N        the ceiling: delete the machine N minutes after the create at the latest
                         (default 15, at most ${MAX_MINUTES_LIMIT}; fractions allowed)
  --key-file PATH        read the key (key_id:key_secret) from this file instead of FAL_KEY
  --report PATH          where the JSON report goes (default test-results/smoke-live.json)
  --base-url URL         fal's API (default ${DEFAULT_BASE_URL}; http only to this machine, e.g. the emulator)
  --ssh-port N           the machine's SSH port (default 22; the emulator test points it at a local sshd)
  --ssh-user NAME        the SSH user (default ubuntu, fal's; the emulator test uses the local sshd's)
  --ssh-wait-seconds N   how long SSH is tried after "ready" (default 300)
  --help                 this text`;

export class UsageError extends Error {}

export function parseSmokeArgs(argv: readonly string[]): SmokeOptions | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        yes: { type: 'boolean', short: 'y', default: false },
        'max-minutes': { type: 'string' },
        'key-file': { type: 'string' },
        report: { type: 'string' },
        'base-url': { type: 'string' },
        'ssh-port': { type: 'string' },
        'ssh-user': { type: 'string' },
        'ssh-wait-seconds': { type: 'string' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  if (values.help) return 'help';
  const maxMinutes = number('--max-minutes', values['max-minutes'], 15);
  if (!(maxMinutes > 0 && maxMinutes <= MAX_MINUTES_LIMIT))
    throw new UsageError(`--max-minutes must be more than 0 and at most ${MAX_MINUTES_LIMIT}`);
  const sshPort = number('--ssh-port', values['ssh-port'], 22);
  if (!Number.isInteger(sshPort) || sshPort < 1 || sshPort > 65535)
    throw new UsageError('--ssh-port must be a port number');
  const sshWaitSeconds = number('--ssh-wait-seconds', values['ssh-wait-seconds'], 300);
  if (!(sshWaitSeconds > 0)) throw new UsageError('--ssh-wait-seconds must be more than 0');
  const sshUser = values['ssh-user'] ?? 'ubuntu';
  if (!/^[a-z_][a-z0-9_-]{0,31}$/i.test(sshUser)) throw new UsageError('--ssh-user must be a user name');
  return {
    baseUrl: values['base-url'] ?? DEFAULT_BASE_URL,
    keyFile: values['key-file'],
    yes: values.yes,
    maxMinutes,
    reportPath: values.report ?? 'test-results/smoke-live.json',
    sshPort,
    sshUser,
    sshWaitSeconds,
  };
}

function number(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+(\.\d+)?$/.test(value)) throw new UsageError(`${flag} must be a number, got "${value}"`);
  return Number(value);
}

/** The key and where it came from (the key itself is never part of a message). */
export async function readKey(
  options: Pick<SmokeOptions, 'keyFile'>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ key: string; source: string }> {
  let key: string;
  let source: string;
  if (options.keyFile !== undefined) {
    source = `the file ${options.keyFile}`;
    try {
      key = (await readFile(options.keyFile, 'utf8')).trim();
    } catch (e) {
      const code = (e as { code?: string }).code ?? 'unreadable';
      throw new UsageError(`Cannot read the key file ${options.keyFile} (${code}).`);
    }
  } else if (env.FAL_KEY?.trim()) {
    source = 'FAL_KEY';
    key = env.FAL_KEY.trim();
  } else {
    throw new UsageError('No key: set FAL_KEY to an ADMIN key (key_id:key_secret), or pass --key-file PATH.');
  }
  const problem = checkApiKeyShape(key);
  if (problem) throw new UsageError(`The key from ${source} cannot be used: ${problem}`);
  return { key, source };
}
