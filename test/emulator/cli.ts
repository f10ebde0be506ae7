// Runs the emulator as a process: `npm run emulator -- --port 4010 --seed demo`.
// Logs one line per /v1 request (method, path, status, duration; never a key secret).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { BILLING_DEFAULTS } from './billing';
import { demoInstances } from './demo';
import { EMULATOR_DEFAULTS, FalEmulator } from './emulator';
import { DEFAULT_EMULATOR_KEY, type EmulatorOptions, type RequestRecord } from './types';

const USAGE = `usage: node out/test/emulator/cli.js [options]
  --port N               listen port (default 4010; 0 = any free port)
  --host ADDR            listen address (default ${EMULATOR_DEFAULTS.host})
  --key ID:SECRET        accepted API key, repeatable (default ${DEFAULT_EMULATOR_KEY})
  --seed demo|FILE.json  initial instances: the demo set or a JSON array of instances
  --pending-ms N         time a new instance shows 'pending' (default ${EMULATOR_DEFAULTS.pendingMs})
  --provisioning-ms N    time it then shows 'provisioning' before 'ready' (default ${EMULATOR_DEFAULTS.provisioningMs})
  --page-size N          list page size without ?limit (default ${EMULATOR_DEFAULTS.pageSize})
  --ip ADDR              IP every new instance gets when ready (default 203.0.113.10, .11, ...)
  --delete-lag-ms N      deleted instances show 'stopped' this long (default ${EMULATOR_DEFAULTS.deleteLagMs})
  --balance USD          the account's credit balance at start (default ${BILLING_DEFAULTS.balance}); it drains while instances exist
  --config FILE.json     any EmulatorOptions as JSON; the flags above override it
  --quiet                no per-request log lines
  --help                 this text`;

function main(): void {
  let options: EmulatorOptions;
  let quiet: boolean;
  try {
    ({ options, quiet } = optionsFromArgs(process.argv.slice(2)));
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    process.exit(2);
  }
  if (!quiet) options.onRequest = logRequest;
  FalEmulator.start(options).then(
    (emulator) => {
      printBanner(emulator, options);
      const shutdown = (): void => {
        void emulator.close().then(() => process.exit(0));
      };
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
    },
    (err: unknown) => {
      console.error(`fal API emulator failed to start: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    },
  );
}

function optionsFromArgs(args: string[]): { options: EmulatorOptions; quiet: boolean } {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      key: { type: 'string', multiple: true },
      seed: { type: 'string' },
      'pending-ms': { type: 'string' },
      'provisioning-ms': { type: 'string' },
      'page-size': { type: 'string' },
      ip: { type: 'string' },
      'delete-lag-ms': { type: 'string' },
      balance: { type: 'string' },
      config: { type: 'string' },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const options: EmulatorOptions = values.config
    ? (JSON.parse(readFileSync(values.config, 'utf8')) as EmulatorOptions)
    : {};
  options.port = count('--port', values.port) ?? options.port ?? 4010;
  if (values.host !== undefined) options.host = values.host;
  if (values.key !== undefined) {
    for (const key of values.key) if (!key.includes(':')) throw new Error(`--key must look like id:secret`);
    options.keys = values.key.map((key) => ({ key }));
  }
  if (values.seed !== undefined) {
    options.seed = values.seed === 'demo' ? demoInstances() : JSON.parse(readFileSync(values.seed, 'utf8'));
  }
  const pendingMs = count('--pending-ms', values['pending-ms']);
  const provisioningMs = count('--provisioning-ms', values['provisioning-ms']);
  options.timeline = {
    ...options.timeline,
    ...(pendingMs !== undefined ? { pendingMs } : {}),
    ...(provisioningMs !== undefined ? { provisioningMs } : {}),
  };
  const pageSize = count('--page-size', values['page-size']);
  if (pageSize !== undefined) options.pageSize = pageSize;
  if (values.ip !== undefined) options.ip = values.ip;
  const deleteLagMs = count('--delete-lag-ms', values['delete-lag-ms']);
  if (deleteLagMs !== undefined) options.deleteLagMs = deleteLagMs;
  if (values.balance !== undefined) {
    if (!/^\d+(\.\d+)?$/.test(values.balance)) throw new Error(`--balance must be an amount, got "${values.balance}"`);
    options.billing = { ...options.billing, balance: Number(values.balance) };
  }
  return { options, quiet: values.quiet };
}

/** A non-negative integer flag value, or undefined when the flag is absent. */
function count(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new Error(`${flag} must be a non-negative integer, got "${value}"`);
  return Number(value);
}

function printBanner(emulator: FalEmulator, options: EmulatorOptions): void {
  const keys = options.keys ?? [{ key: DEFAULT_EMULATOR_KEY }];
  const keyLines = keys.map(({ key, admin, compute, billing }) => {
    const id = key.slice(0, key.indexOf(':'));
    const denied = admin === false || compute === false ? ' (answers 403: no admin scope or no compute access)' : '';
    const noBilling = billing === false ? ' (billing answers 403)' : '';
    // The built-in key is public test data, so it is printed whole to copy-paste.
    return key === DEFAULT_EMULATOR_KEY
      ? `    FAL_KEY=${key}  (built-in test key)`
      : `    key id ${id}${denied}${noBilling}`;
  });
  const timeline = options.timeline ?? {};
  console.log(
    [
      `fal API emulator listening on ${emulator.baseUrl}`,
      `  accepted keys (send "Authorization: Key <id>:<secret>"):`,
      ...keyLines,
      `  instances: ${emulator.instances().length} seeded; new ones are ready after ` +
        `${(timeline.pendingMs ?? EMULATOR_DEFAULTS.pendingMs) + (timeline.provisioningMs ?? EMULATOR_DEFAULTS.provisioningMs)} ms`,
      `  credit balance: ${emulator.billingState().balance} ${emulator.billingState().currency}, draining while instances exist`,
      `  point the extension at it: setting "fal.apiBaseUrl": "${emulator.baseUrl}", then "fal: Set API Key" with one of the keys above`,
      `  control plane for tests: ${emulator.baseUrl.replace(/\/v1$/, '/_emulator/health')}`,
    ].join('\n'),
  );
}

function logRequest(record: RequestRecord): void {
  const query = new URLSearchParams(record.query).toString();
  const status = record.status ?? 'dropped';
  const ms = record.endedAt !== undefined ? `${record.endedAt - record.startedAt}ms` : '';
  console.log(
    `${record.method} ${record.path}${query ? `?${query}` : ''} ${status} ${ms}${record.fault ? ` [fault ${record.fault}]` : ''}`,
  );
}

main();
