// Generated host targets for the corpus check: each field benign or hostile — line breaks with a
// ProxyCommand behind them, quotes, backslashes, `#`, `%` tokens, `${…}`, glob characters,
// spaces, non-ASCII, names instead of addresses, zone indexes, out-of-range ports.
import fc from 'fast-check';

export interface Target {
  readonly instanceId: string;
  readonly ip: string;
  readonly user: string;
  readonly port: number;
  readonly identityFile: string;
}

const INJECT = [
  '\n  ProxyCommand touch /tmp/fal-corpus-pwned',
  '\r\nLocalCommand id',
  ' # comment',
  '"',
  "'",
  '\\',
  '%h',
  '%%',
  '${HOME}',
  '*',
  '?',
  '[x]',
  ' ',
  '\t',
  'é',
  '🚀',
  '=',
  ',',
];
const hostileText = fc
  .array(fc.constantFrom(...INJECT, 'a', 'b', '1', '_', '-', '.'), { minLength: 1, maxLength: 6 })
  .map((parts) => parts.join(''));

/** Mostly `benign`, sometimes `hostile`: so that every field is hostile often, but whole targets pass often enough to reach ssh. */
const mostly = <T>(benign: fc.Arbitrary<T>, hostile: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: benign, weight: 4 }, { arbitrary: hostile, weight: 1 });

export function hostileTarget(sshDir: string): fc.Arbitrary<Target> {
  return fc.record({
    instanceId: mostly(
      fc.oneof(fc.stringMatching(/^inst_[a-z0-9]{4,10}$/), fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/)),
      hostileText,
    ),
    ip: mostly(
      fc.oneof(fc.ipV4(), fc.ipV6()),
      fc.constantFrom(
        'example.com',
        'fe80::1%eth0',
        '[::1]',
        '203.0.113.9 ',
        '203.0.113.9\n  ProxyCommand touch /tmp/fal-corpus-pwned',
        '',
      ),
    ),
    user: mostly(fc.constantFrom('ubuntu', 'root', '_svc.x-y'), hostileText),
    port: mostly(fc.constantFrom(22, 2222, 65535), fc.integer({ min: -5, max: 70_000 })),
    identityFile: fc.oneof(
      hostileText.map((t) => `${sshDir}/${t.replace(/\//g, '_')}`),
      hostileText.map((t) => `${sshDir}/keys/${t.replace(/\//g, '_')}/id`),
      fc.constantFrom('relative/key', '~/.ssh/id', `${sshDir}/k\n  ProxyCommand x`),
    ),
  });
}
