// The commands are plain POSIX sh: a login shell that is dash (Debian's /bin/sh) rather than bash
// starts, reads and follows a run the same way. (The script itself always runs under bash.)
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RemoteShell } from '../../../src/setup/remoteShell';
import { SetupRemote } from '../../../src/setup/setupRemote';
import { chooseSetupScript } from '../../../src/setup/setupSource';
import { waitFor } from '../../support/polling';
import { HOSTILE_DIR_NAME } from './setupSshd';

/** Runs each command with `dash -c`, as sshd runs it with the user's login shell. */
const dash: RemoteShell = {
  run: (command, timeoutMs) =>
    new Promise((resolve, reject) =>
      execFile('/bin/dash', ['-c', command], { timeout: timeoutMs, encoding: 'utf8' }, (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') return reject(error);
        resolve({ stdout, stderr, exitCode: error ? Number(error.code) : 0, truncated: false });
      }),
    ),
};

describe('setup commands under dash', function () {
  this.timeout(30_000);
  let parent: string;
  before(() => (parent = mkdtempSync(join(tmpdir(), 'fal-setup-dash-'))));
  after(() => rmSync(parent, { recursive: true, force: true }));

  it('start, status, a second start, the log: as under bash', async () => {
    const choice = chooseSetupScript(Buffer.from('echo "dash $((6 * 7))"; printf "\\377\\n"; exit 3\n'), undefined);
    assert.equal(choice.kind, 'script');
    if (choice.kind !== 'script') return;
    const remote = new SetupRemote(dash, { dir: join(parent, HOSTILE_DIR_NAME) });
    assert.equal((await remote.start(choice.script, { timeoutSeconds: 60 })).kind, 'started');
    assert.deepEqual(await remote.start(choice.script, { timeoutSeconds: 60 }), { kind: 'existing', sameScript: true });
    const st = await waitFor(
      'the run to end',
      () => remote.status(),
      (s) => s.kind === 'exited',
      20_000,
      50,
    );
    assert.equal(st.kind === 'exited' && st.exitCode, 3);
    const poll = await remote.readLog({ offset: 0 });
    assert.deepEqual(Buffer.from(poll.chunk!.bytes), Buffer.from('dash 42\n\xff\n', 'latin1'));
  });
});
