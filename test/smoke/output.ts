// Everything the smoke test prints or writes passes through here, redacted with the client's own
// Redactor (src/api/redaction.ts): the key, any run of 4+ characters of its secret, and any
// `Authorization: Key …` value — even when a server echoes them back in a field or an error.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Redactor } from '../../src/api/redaction';

export class SmokeOutput {
  #redactor = new Redactor();

  constructor(
    private readonly stdout: NodeJS.WritableStream = process.stdout,
    private readonly stderr: NodeJS.WritableStream = process.stderr,
  ) {
    // A closed terminal (SIGHUP) must not turn a write into a crash before the delete.
    for (const stream of [stdout, stderr]) stream.on('error', () => undefined);
  }

  /** From now on the key and its secret are redacted too. */
  setKey(key: string): void {
    this.#redactor = new Redactor(key);
  }

  say(line: string): void {
    this.stdout.write(`${this.redact(line)}\n`);
  }

  warn(line: string): void {
    this.stderr.write(`${this.redact(line)}\n`);
  }

  redact(text: string): string {
    return this.#redactor.redact(text);
  }

  /** A copy of `value` whose every string and object key is redacted (so the JSON stays valid). */
  redactDeep<T>(value: T): T {
    const walk = (v: unknown): unknown => {
      if (typeof v === 'string') return this.redact(v);
      if (Array.isArray(v)) return v.map(walk);
      if (v && typeof v === 'object')
        return Object.fromEntries(Object.entries(v).map(([k, inner]) => [this.redact(k), walk(inner)]));
      return v;
    };
    return walk(value) as T;
  }

  /** Writes the report as JSON, redacted; refuses (throws) if the key could still be read in it. */
  async writeReport(path: string, report: object): Promise<void> {
    const text = `${JSON.stringify(this.redactDeep(report), null, 2)}\n`;
    if (this.#redactor.holdsKey(text)) throw new Error('the report would hold the key: not written');
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text, { mode: 0o644 });
  }
}
