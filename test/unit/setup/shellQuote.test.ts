// shellQuote gives back any string, word for word, through the real sh (dash) and bash: the setup
// dir and every value in the commands pass through it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { setupDirExpression, shellQuote } from '../../../src/setup/remoteShell';

describe('shellQuote', () => {
  it('any text without NUL comes back unchanged through sh and bash (property)', () => {
    const text = fc.string({
      unit: fc.oneof(
        fc.constantFrom("'", '"', '$', '`', '\\', '\n', ' ', '*', '!', ';'),
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
      ),
    });
    const values = fc.sample(
      text.filter((s) => !s.includes('\0')),
      200,
    );
    values.push("it's", `'"'"'`, '$(touch /tmp/pwned)', '', '\n');
    for (const shell of ['/bin/sh', '/bin/bash']) {
      const script = values.map((v) => `printf '%s\\0' ${shellQuote(v)}`).join('\n');
      const out = execFileSync(shell, ['-c', script]).toString('utf8').split('\0').slice(0, -1);
      assert.deepEqual(out, values, shell);
    }
  });

  it('a relative setup dir is under $HOME, expanded by the machine; an absolute one is quoted', () => {
    const env = { ...process.env, HOME: "/h o'me" };
    const run = (dir: string) =>
      execFileSync('/bin/sh', ['-c', `printf %s ${setupDirExpression(dir)}`], { env }).toString();
    assert.equal(run('.fal/setup'), "/h o'me/.fal/setup");
    assert.equal(run("/x $HOME 'y'"), "/x $HOME 'y'");
    assert.throws(() => setupDirExpression(''));
  });
});
