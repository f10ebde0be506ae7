import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { isShellInert, substituteBeforeDelete } from '../../../src/cost';

const TEMPLATE = 'rsync -a ubuntu@${host}:outputs/ ./outputs-${instanceId}/';

/** What /bin/sh makes of a command: its words, printed one per line by printf. */
function shWords(command: string): string[] {
  const out = execFileSync('/bin/sh', ['-c', `printf '%s\\n' ${command}`], {
    encoding: 'utf8',
    env: { PATH: '/usr/bin:/bin' },
  });
  return out.split('\n').slice(0, -1);
}

describe('beforeDelete substitution', () => {
  it('fills ${host} and ${instanceId}, leaves other ${…} to the shell', () => {
    assert.deepEqual(substituteBeforeDelete(TEMPLATE, { host: '203.0.113.7', instanceId: 'inst_abc123xyz' }), {
      ok: true,
      command: 'rsync -a ubuntu@203.0.113.7:outputs/ ./outputs-inst_abc123xyz/',
    });
    assert.deepEqual(substituteBeforeDelete('cp -r ${HOME}/x ${host}', { host: '2001:db8::1', instanceId: 'i' }), {
      ok: true,
      command: 'cp -r ${HOME}/x 2001:db8::1',
    });
  });

  it("works inside the user's own quotes (values need no quoting of their own)", () => {
    const sub = substituteBeforeDelete('"ubuntu@${host}:~/out dir" \'${instanceId}\'', {
      host: '198.51.100.9',
      instanceId: 'inst_q',
    });
    assert.ok(sub.ok);
    assert.deepEqual(shWords(sub.command), ['ubuntu@198.51.100.9:~/out dir', 'inst_q']);
  });

  it('refuses hostile ids and hosts instead of running them', () => {
    const hostile = [
      '1.2.3.4; rm -rf ~',
      '$(reboot)',
      '`id`',
      'a|b',
      'a&b',
      "it's",
      'a"b',
      'x\ny',
      '-oProxyCommand=touch /tmp/pwned',
      'fe80::1%eth0',
      '^&calc',
      '',
      'a b',
      'x'.repeat(300),
    ];
    for (const value of hostile) {
      const asHost = substituteBeforeDelete(TEMPLATE, { host: value, instanceId: 'inst_a' });
      const asId = substituteBeforeDelete(TEMPLATE, { host: '1.2.3.4', instanceId: value });
      assert.equal(asHost.ok, false, JSON.stringify(value));
      assert.equal(asId.ok, false, JSON.stringify(value));
      if (!asHost.ok) assert.match(asHost.reason, /is not safe to put into a shell command/);
    }
  });

  it('an unused hostile value does not matter; an empty template is "no command"', () => {
    assert.equal(substituteBeforeDelete('echo done', { host: '$(reboot)', instanceId: 'x' }).ok, true);
    assert.deepEqual(substituteBeforeDelete('   ', { host: '1.2.3.4', instanceId: 'x' }), {
      ok: false,
      reason: 'no command is set',
    });
  });

  it('property: whatever fal sends, an accepted value reaches the shell as exactly one literal word', () => {
    const anything = fc.string({
      unit: fc.constantFrom(...'aZ09._:-;$`\'"\\ |&<>(){}*?!#~%^\n'.split('')),
      maxLength: 12,
    });
    const word = fc.oneof(anything, fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,15}$/));
    const accepted: string[] = [];
    fc.assert(
      fc.property(word, (value) => {
        const sub = substituteBeforeDelete('${host}', { host: value, instanceId: 'i' });
        assert.equal(sub.ok, isShellInert(value));
        if (sub.ok) accepted.push(value);
      }),
      { numRuns: 500 },
    );
    // The accepted ones, through a real /bin/sh in one go: each comes back unchanged, as one word.
    const sample = [...new Set(accepted)].slice(0, 40);
    assert.ok(sample.length > 5);
    assert.deepEqual(
      shWords(
        sample
          .map((v) => substituteBeforeDelete('${host}', { host: v, instanceId: 'i' }))
          .map((s) => (s.ok ? s.command : ''))
          .join(' '),
      ),
      sample,
    );
  });
});
