// Setup against a real sshd: the run is detached (it outlives the connection that started it), its
// exit code and end time land on the machine, its log is read exactly (bytes, not text) and in
// bounded pieces, starting twice starts once, and a machine without bash is told so. The setup dir's
// path holds spaces, quotes, `$HOME` and a backquote; the files are read back directly (the sshd is
// this machine), so every claim is checked against what is really on disk.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { realTimers } from '../../../src/base/timers';
import { SetupLogFollower } from '../../../src/setup/logFollower';
import { SetupRemote } from '../../../src/setup/setupRemote';
import {
  chooseSetupScript,
  MAX_SCRIPT_BYTES,
  SetupScriptTooLargeError,
  type SetupScript,
} from '../../../src/setup/setupSource';
import type { SetupStatus } from '../../../src/setup/setupStatus';
import { setupRowText, startOutcomeText } from '../../../src/setup/setupWords';
import { waitFor } from '../../support/polling';
import { dropWhileFollowing, HOSTILE_DIR_NAME, homeOf, ReconnectingShell, suiteSshd } from './setupSshd';

const script = (text: string | Buffer): SetupScript => {
  const choice = chooseSetupScript(Buffer.from(text), undefined);
  assert.equal(choice.kind, 'script');
  return (choice as Extract<typeof choice, { kind: 'script' }>).script;
};

describe('setup over a real sshd', function () {
  this.timeout(60_000);
  const t = suiteSshd();

  const statusUntil = async (remote: SetupRemote, kind: SetupStatus['kind']) =>
    waitFor(
      `setup status ${kind}`,
      () => remote.status(),
      (st) => st.kind === kind,
      30_000,
      100,
    );

  it('runs detached: the connection that started it closes, a new one sees it running, follows it to the end, reads exit 0', async () => {
    const dir = t.s.newDir();
    const lines = Array.from({ length: 12 }, (_, i) => `line ${i + 1} é`);
    const run = script(`for i in $(seq 1 12); do echo "line $i é"; sleep 0.3; done\n`);
    const started = await new SetupRemote(t.conn, { dir }).start(run, { timeoutSeconds: 60 });
    assert.equal(started.kind, 'started');
    await t.conn.close(); // the SSH session is gone: the run must not notice

    t.conn = await t.s.connect();
    const remote = new SetupRemote(t.conn, { dir });
    const running = await remote.status();
    assert.equal(running.kind, 'running', JSON.stringify(running));
    assert.match(setupRowText(running, 0, 0) ?? '', /^setting up… \d+ s$/);
    assert.equal(running.kind === 'running' && running.run.sha256, run.sha256);
    assert.equal(readFileSync(join(dir, 'current', 'script.sh'), 'utf8'), Buffer.from(run.bytes).toString('utf8'));

    let text = '';
    let end: SetupStatus | undefined;
    const follower = new SetupLogFollower({
      source: remote,
      timers: realTimers,
      pollMs: 100,
      readBytes: 7, // pieces that cut lines, and the é, anywhere
      onText: (t) => (text += t),
      onEnd: (st) => (end = st),
    });
    follower.start();
    await waitFor('the follower to end', () => end, Boolean, 30_000, 50);
    assert.equal(text, lines.map((l) => `${l}\n`).join(''));
    assert.equal(end?.kind === 'exited' && end.exitCode, 0);
    assert.equal(setupRowText(end!, 0, 0), 'set up');
    assert.equal(follower.resumeAt?.offset, Buffer.byteLength(text));
    assert.match(readFileSync(join(dir, 'current', 'exit'), 'utf8'), /^0 \d+\n$/);
  });

  it('starting again does nothing (same or other script); Run Setup Again keeps the old run as previous; refused while running', async () => {
    const dir = t.s.newDir();
    const remote = new SetupRemote(t.conn, { dir });
    const first = script('echo first; sleep 3\n');
    assert.equal((await remote.start(first, { timeoutSeconds: 60 })).kind, 'started');
    assert.deepEqual(await remote.start(first, { timeoutSeconds: 60 }), { kind: 'existing', sameScript: true });
    const second = script('echo second\n');
    assert.deepEqual(await remote.start(second, { timeoutSeconds: 60 }), { kind: 'existing', sameScript: false });
    assert.deepEqual(await remote.start(second, { timeoutSeconds: 60, again: true }), { kind: 'busy' });
    await statusUntil(remote, 'exited');
    assert.equal((await remote.start(second, { timeoutSeconds: 60, again: true })).kind, 'started');
    await statusUntil(remote, 'exited');
    assert.equal(readFileSync(join(dir, 'previous', 'log'), 'utf8'), 'first\n');
    assert.equal(readFileSync(join(dir, 'current', 'log'), 'utf8'), 'second\n');
  });

  it('two starts at the same time: exactly one run', async () => {
    const dir = t.s.newDir();
    const other = await t.s.connect();
    try {
      const run = script('echo ran\n');
      const outcomes = await Promise.all([
        new SetupRemote(t.conn, { dir }).start(run, { timeoutSeconds: 60 }),
        new SetupRemote(other, { dir }).start(run, { timeoutSeconds: 60 }),
      ]);
      assert.deepEqual(outcomes.map((o) => o.kind).sort(), ['existing', 'started']);
      await statusUntil(new SetupRemote(t.conn, { dir }), 'exited');
      assert.equal(readFileSync(join(dir, 'current', 'log'), 'utf8'), 'ran\n');
    } finally {
      await other.close();
    }
  });

  it('exit 1: setup failed (exit 1), with its stderr in the log', async () => {
    const dir = t.s.newDir();
    const remote = new SetupRemote(t.conn, { dir });
    await remote.start(script('echo doing; echo broken >&2; exit 1\n'), { timeoutSeconds: 60 });
    const st = await statusUntil(remote, 'exited');
    assert.equal(st.kind === 'exited' && st.exitCode, 1);
    assert.equal(setupRowText(st, 0, 0), 'setup failed (exit 1)');
    assert.equal(readFileSync(join(dir, 'current', 'log'), 'utf8'), 'doing\nbroken\n');
  });

  it('a script that outlives its timeout: exit 124 (TERM) and "timed out"', async () => {
    const dir = t.s.newDir();
    const remote = new SetupRemote(t.conn, { dir });
    await remote.start(script('echo waiting; sleep 30\n'), { timeoutSeconds: 1 });
    const st = await statusUntil(remote, 'exited');
    assert.equal(st.kind === 'exited' && st.exitCode, 124);
    assert.equal(setupRowText(st, 0, 0), 'setup timed out after 1 s');
  });

  it('non-UTF-8 output comes back as the exact bytes; the follower shows U+FFFD for them and whole characters elsewhere', async () => {
    const dir = t.s.newDir();
    const remote = new SetupRemote(t.conn, { dir });
    const expected = Buffer.from([
      0x63, 0x61, 0x66, 0xc3, 0xa9, 0x20, 0xff, 0xfe, 0x0a, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80, 0x0a,
    ]);
    const octal = [...expected].map((b) => `\\${b.toString(8).padStart(3, '0')}`).join('');
    await remote.start(script(`printf '${octal}'\n`), { timeoutSeconds: 60 });
    await statusUntil(remote, 'exited');
    const read = await remote.readLog({ offset: 0 }, 1024);
    assert.deepEqual(Buffer.from(read.chunk!.bytes), expected);
    const pieces: Buffer[] = [];
    for (let at = 0; at < expected.length; at += 3) {
      const part = await remote.readLog({ offset: at }, 3);
      assert.equal(part.chunk?.offset, at);
      pieces.push(Buffer.from(part.chunk!.bytes));
    }
    assert.deepEqual(
      Buffer.concat(pieces),
      expected,
      'read in 3-byte pieces (cutting é, € and 😀): nothing lost, nothing twice',
    );
    let text = '';
    let ended = false;
    const follower = new SetupLogFollower({
      source: remote,
      timers: realTimers,
      readBytes: 3, // cuts é, € and 😀
      pollMs: 10,
      onText: (t) => (text += t),
      onEnd: () => (ended = true),
    });
    follower.start();
    await waitFor('the follower to end', () => ended, Boolean, 30_000, 20);
    assert.equal(text, 'café \ufffd\ufffd\n€😀\n');
  });

  it('a log of several MB is read in bounded pieces to the same bytes; a first open shows only its end', async () => {
    const dir = t.s.newDir();
    const remote = new SetupRemote(t.conn, { dir });
    await remote.start(script('head -c 2000000 /dev/urandom; echo; echo last line\n'), { timeoutSeconds: 60 });
    await statusUntil(remote, 'exited');
    const onDisk = readFileSync(join(dir, 'current', 'log'));
    const pieces: Buffer[] = [];
    let offset = 0;
    for (;;) {
      const poll = await remote.readLog({ offset });
      const bytes = Buffer.from(poll.chunk!.bytes);
      assert.ok(bytes.length <= 128 * 1024, 'bounded');
      if (bytes.length === 0) break;
      pieces.push(bytes);
      offset += bytes.length;
    }
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    assert.equal(sha(Buffer.concat(pieces)), sha(onDisk));
    assert.ok(pieces.length >= 16);

    let text = '';
    let ended = false;
    const follower = new SetupLogFollower({
      source: remote,
      timers: realTimers,
      pollMs: 10,
      onText: (t) => (text += t),
      onEnd: () => (ended = true),
    });
    follower.start();
    await waitFor('the follower to end', () => ended, Boolean, 30_000, 20);
    const note = '[1.7 MB of earlier output not shown; the whole log is ~/.fal/setup/current/log on the machine]\n';
    assert.ok(text.startsWith(note), text.slice(0, 200));
    assert.ok(text.endsWith('\nlast line\n'));
    assert.equal(follower.resumeAt?.offset, onDisk.length);
  });

  it('a script that ignores TERM: killed after the grace, exit 137, still "timed out"', async () => {
    const dir = t.s.newDir();
    const remote = new SetupRemote(t.conn, { dir });
    await remote.start(script("trap '' TERM; echo stubborn; sleep 20\n"), { timeoutSeconds: 1, killAfterSeconds: 1 });
    const st = await statusUntil(remote, 'exited');
    assert.equal(st.kind === 'exited' && st.exitCode, 137);
    assert.equal(setupRowText(st, 0, 0), 'setup timed out after 1 s');
  });

  it('a runner that vanished without an exit code (killed, or another boot): lost, never set up', async () => {
    const dir = t.s.newDir();
    const remote = new SetupRemote(t.conn, { dir });
    await remote.start(script('sleep 30\n'), { timeoutSeconds: 60 });
    assert.equal((await remote.status()).kind, 'running');
    writeFileSync(join(dir, 'current', 'boot-id'), 'another-boot\n');
    assert.equal((await remote.status()).kind, 'lost', 'a pid alive in another boot is not our runner');
    const pid = readFileSync(join(dir, 'current', 'pid'), 'utf8').trim();
    killSession(pid);
    const lost = await remote.status();
    assert.equal(lost.kind, 'lost');
    assert.equal(setupRowText(lost, 0, 0), 'setup interrupted');
    assert.equal(existsSync(join(dir, 'current', 'exit')), false);
  });

  it('the largest script allowed runs (one exec argument); one byte more is refused with its size, nothing sent', async () => {
    const dir = t.s.newDir();
    const remote = new SetupRemote(t.conn, { dir });
    const head = 'echo big\n';
    const body = '# padding\n'.repeat(MAX_SCRIPT_BYTES);
    const largest = script(head + body.slice(0, MAX_SCRIPT_BYTES - head.length));
    assert.equal(largest.bytes.length, MAX_SCRIPT_BYTES);
    assert.equal((await remote.start(largest, { timeoutSeconds: 60 })).kind, 'started');
    await statusUntil(remote, 'exited');
    assert.equal(readFileSync(join(dir, 'current', 'log'), 'utf8'), 'big\n');
    const sessions = t.s.gpu.logLines(/Starting session: command for /).length;
    const tooLarge = { ...largest, bytes: Buffer.alloc(MAX_SCRIPT_BYTES + 1, 'x') };
    await assert.rejects(
      remote.start(tooLarge, { timeoutSeconds: 60 }),
      (e: Error) => e instanceof SetupScriptTooLargeError && e.message.includes(`${MAX_SCRIPT_BYTES + 1} bytes`),
    );
    assert.equal(t.s.gpu.logLines(/Starting session: command for /).length, sessions, 'no command sent');
  });

  it('the follower survives dropped connections: each failed read is made again on a new connection, the text is exact', async () => {
    const dir = t.s.newDir();
    const shell = new ReconnectingShell(() => t.s.connect());
    const remote = new SetupRemote(shell, { dir });
    const expected = Array.from({ length: 10 }, (_, i) => `step ${i + 1} ✓\n`).join('');
    await remote.start(script('for i in $(seq 1 10); do echo "step $i ✓"; sleep 0.3; done\n'), { timeoutSeconds: 60 });
    let text = '';
    let failures = 0;
    let ended = false;
    const follower = new SetupLogFollower({
      source: remote,
      timers: realTimers,
      pollMs: 50,
      retryMs: 100,
      readBytes: 16,
      onText: (t) => (text += t),
      onEnd: () => (ended = true),
      onReadFailed: () => failures++,
    });
    follower.start();
    await dropWhileFollowing(
      shell,
      () => text.length,
      () => failures,
      20,
    );
    await waitFor('the follower to end', () => ended, Boolean, 30_000, 50);
    await shell.close();
    assert.equal(text, expected);
    assert.ok(shell.connections >= 4, `${shell.connections} connections`);
    assert.equal(failures, 3, 'three reads failed and were made again');
  });

  it("the default setup dir is under the SSH user's home, as its shell expands $HOME", async () => {
    // The SSH user's home as its own shell says (sshd takes it from passwd, not from our HOME).
    const home = await homeOf(t.conn);
    const relative = `.fal-setup-test-${process.pid}`;
    try {
      const remote = new SetupRemote(t.conn, { dir: `${relative}/setup` });
      await remote.start(script('echo home\n'), { timeoutSeconds: 60 });
      await statusUntil(remote, 'exited');
      assert.equal(readFileSync(join(home, relative, 'setup', 'current', 'log'), 'utf8'), 'home\n');
    } finally {
      rmSync(join(home, relative), { recursive: true, force: true });
    }
  });

  it("runs in the workspace's copy when given one (relative to home); a missing copy is said in the log and it runs in home", async () => {
    const home = await homeOf(t.conn);
    const copy = `fal setup copy '${process.pid}'`;
    mkdirSync(join(home, copy), { recursive: true });
    try {
      const dirC = t.s.newDir();
      const inCopy = new SetupRemote(t.conn, { dir: dirC });
      await inCopy.start(script('pwd\n'), { timeoutSeconds: 60, workdir: copy });
      const ran = await statusUntil(inCopy, 'exited');
      assert.equal(ran.kind === 'exited' && ran.exitCode, 0);
      assert.equal(readFileSync(join(dirC, 'current', 'log'), 'utf8'), `${join(home, copy)}\n`);
      const dirA = t.s.newDir();
      const missing = new SetupRemote(t.conn, { dir: dirA });
      await missing.start(script('pwd\n'), { timeoutSeconds: 60, workdir: 'no such copy' });
      await statusUntil(missing, 'exited');
      assert.equal(
        readFileSync(join(dirA, 'current', 'log'), 'utf8'),
        `fal: ~/no such copy is missing; the setup runs in the home folder\n${home}\n`,
      );
    } finally {
      rmSync(join(home, copy), { recursive: true, force: true });
    }
  });

  it('a full disk: a start that cannot write leaves no run behind; a run that fills it ends with no exit code (lost), never set up', async function () {
    const mount = join(t.s.gpu.sshd.dir, 'small-disk');
    mkdirSync(mount);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mount], { stdio: 'pipe' });
    } catch (e) {
      this.test!.title += ` (skipped: cannot mount a small tmpfs here: ${String(e).slice(0, 100)})`;
      this.skip();
    }
    try {
      const dir = join(mount, HOSTILE_DIR_NAME);
      const remote = new SetupRemote(t.conn, { dir });
      const filler = join(mount, 'filler');
      execFileSync('sh', ['-c', `head -c 100000 /dev/zero > "$1"; true`, 'sh', filler]);
      const refused = await remote.start(script(`${'# pad\n'.repeat(2000)}echo never\n`), { timeoutSeconds: 60 });
      assert.equal(refused.kind, 'failed', JSON.stringify(refused));
      assert.match(startOutcomeText(refused) ?? '', /disk full/);
      assert.deepEqual(readdirSync(dir), [], 'no current run, no half-made one');
      assert.deepEqual(await remote.status(), { kind: 'none' });

      rmSync(filler);
      await remote.start(script('head -c 200000 /dev/zero | tr "\\0" x; echo done\n'), { timeoutSeconds: 60 });
      const ended = await waitFor(
        'the run to end',
        () => remote.status(),
        (st) => st.kind !== 'running',
        30_000,
        100,
      );
      assert.equal(ended.kind, 'lost', JSON.stringify(ended));
      assert.equal(existsSync(join(dir, 'current', 'exit')), false);
      assert.equal(existsSync(join(dir, 'current', 'exit.tmp')), false, 'no half-written exit file');
    } finally {
      execFileSync('umount', [mount]);
    }
  });

  it('a machine without bash: missingTool bash, nothing written', async () => {
    const dir = t.s.newDir();
    const bin = join(t.s.gpu.sshd.dir, 'no-bash-bin');
    mkdirSync(bin, { recursive: true });
    for (const tool of [
      'sh',
      'setsid',
      'timeout',
      'base64',
      'sha256sum',
      'head',
      'tail',
      'mv',
      'mkdir',
      'rm',
      'cat',
      'date',
    ])
      if (!existsSync(join(bin, tool))) symlinkSync(`/usr/bin/${tool}`, join(bin, tool));
    const noBash = { run: (command: string, ms: number) => t.conn.run(`PATH='${bin}'; export PATH\n${command}`, ms) };
    const outcome = await new SetupRemote(noBash, { dir }).start(script('echo hi\n'), { timeoutSeconds: 60 });
    assert.deepEqual(outcome, { kind: 'missingTool', tool: 'bash' });
    assert.equal(existsSync(dir), false);
  });
});

/** SIGKILL to every process of the runner's session (the runner, timeout, the script): as a reboot would. */
function killSession(sid: string): void {
  const pids = execFileSync('ps', ['-o', 'pid=', '-s', sid], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  for (const pid of pids) {
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      /* gone already */
    }
  }
}
