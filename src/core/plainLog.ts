// The extension's log with every message through logText (markdownText.ts): log lines carry
// outside text (fal's statuses and messages, a machine's errors, names), and a line break or a
// control character in it must not make a log line that looks like one this extension wrote.
// Generic over the channel, so it needs no `vscode` import and is unit-tested in plain node.
import { logText } from './markdownText';

/** The methods of a LogOutputChannel that take a message first. */
const WRITERS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'append', 'appendLine', 'replace']);

export function plainTextLog<T extends object>(channel: T): T {
  return new Proxy(channel, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      if (typeof property === 'string' && WRITERS.has(property)) {
        return (message: unknown, ...rest: unknown[]) =>
          value.call(target, typeof message === 'string' ? logText(message) : message, ...rest);
      }
      return value.bind(target);
    },
  });
}
