// Jobs against a real sshd (setup's test sshd: the machine is this one, so every claim is checked
// against the files on disk): a command runs literally whatever it holds, its output, exit code and
// Stop land on the machine, a job outlives the connection that started it, a follower that loses its
// connection mid-stream gives out exactly the log's bytes, Stop ends the whole process group (by TERM,
// or by KILL after the grace even with the laptop gone), list() shows several jobs newest first.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { realTimers } from '../../../src/base/timers';
import { JobRemote } from '../../../src/jobs/jobRemote';
import type { JobAnswer } from '../../../src/jobs/types';
import { SetupLogFollower } from '../../../src/setup/logFollower';
import { waitFor } from '../../support/polling';
import { dropWhileFollowing, homeOf, ReconnectingShell, suiteSshd } from '../setup/setupSshd';

describe('jobs over a real sshd', function () {
  this.timeout(60_000);
  const t = suiteSshd();
  let dir: string;
  beforeEach(() => (dir = t.s.newDir()));

  const started = async (jobs: JobRemote, command: string, workdir = '', name = 'a job') => {
    const outcome = await jobs.start({ name, command, workdir });
    assert.equal(outcome.kind, 'started', JSON.stringify(outcome));
    return (outcome as { jobId: string }).jobId;
  };
  const until = (jobs: JobRemote, jobId: string, ok: (a: JobAnswer) => boolean, what: string) =>
    waitFor(what, () => jobs.status(jobId), ok, 30_000, 100);
  const ended = (jobs: JobRemote, jobId: string) =>
    until(jobs, jobId, (a) => a.kind === 'exited' || a.kind === 'lost', `job ${jobId} to end`);
  const logOf = (jobId: string) => readFileSync(join(dir, jobId, 'log'));

  it('runs the command literally: quotes, $(), backquotes, newlines, a heredoc; name and command read back as sent', async () => {
    const pwned = join(t.s.gpu.sshd.dir, 'pwned');
    const hostile = `'; echo pwned > ${pwned}; '`;
    const command = [
      `echo 'it'"'"'s'`,
      `echo "$(echo sub)" \`echo back\` '$(id)' '\`id\`'`,
      `cat <<'EOF'`,
      hostile,
      `"$HOME" \\`,
      'EOF',
      'printf "%s\\n" "two',
      'lines"',
    ].join('\n');
    const jobs = new JobRemote(t.conn, { dir });
    const name = `train 'it' $(id) \`id\`\nsecond line`;
    const jobId = await started(jobs, command, '', name);
    const end = await ended(jobs, jobId);
    assert.equal(end.kind === 'exited' && end.exitCode, 0, JSON.stringify(end));
    assert.equal(logOf(jobId).toString(), `it's\nsub back $(id) \`id\`\n${hostile}\n"$HOME" \\\ntwo\nlines\n`);
    assert.equal(readFileSync(join(dir, jobId, 'command.sh'), 'utf8'), command);
    assert.equal(existsSync(pwned), false, 'nothing of the command ran outside it');
    assert.equal(end.kind === 'exited' && end.run.command, command);
    assert.equal(end.kind === 'exited' && end.run.name, `train 'it' $(id) \`id\` second line`);
  });

  it('output and exit code: stdout and stderr in the log in order, exit 3, not stopped; python output reaches the log live', async () => {
    const jobs = new JobRemote(t.conn, { dir });
    const jobId = await started(jobs, 'echo out; echo err >&2; exit 3');
    const end = await ended(jobs, jobId);
    assert.deepEqual(end.kind === 'exited' && [end.exitCode, end.stopped], [3, false]);
    assert.equal(logOf(jobId).toString(), 'out\nerr\n');
    assert.match(readFileSync(join(dir, jobId, 'exit'), 'utf8'), /^3 \d+\n$/);

    const py = await started(jobs, `python3 -c 'import time; print("first"); time.sleep(30)'`);
    await waitFor(
      'python output before it ends',
      () => logOf(py).toString(),
      (t) => t === 'first\n',
      10_000,
      100,
    );
    assert.equal((await jobs.stop(py, 1)).kind, 'stopping');
  });

  it('outlives its connection: closed, reconnected, still running and its log continues', async () => {
    const jobs = new JobRemote(t.conn, { dir });
    const jobId = await started(jobs, 'for i in $(seq 1 15); do echo "tick $i"; sleep 0.2; done');
    await t.conn.close();
    t.conn = await t.s.connect();
    const again = new JobRemote(t.conn, { dir });
    const running = await again.status(jobId);
    assert.equal(running.kind, 'running', JSON.stringify(running));
    const before = logOf(jobId).length;
    const end = await ended(again, jobId);
    assert.equal(end.kind === 'exited' && end.exitCode, 0);
    assert.ok(logOf(jobId).length > before, 'the log grew after the connection closed');
    assert.match(logOf(jobId).toString(), /tick 15\n$/);
  });

  it('a connection killed mid-stream and reattached: the follower gives out the log file byte for byte', async () => {
    const shell = new ReconnectingShell(() => t.s.connect());
    const jobs = new JobRemote(shell, { dir });
    const jobId = await started(jobs, 'for i in $(seq 1 12); do echo "step $i ✓ é €"; sleep 0.25; done');
    let text = '';
    let failures = 0;
    let end: JobAnswer | undefined;
    const follower = new SetupLogFollower({
      source: { readLog: (start, n) => jobs.readLog(jobId, start, n) },
      logPath: jobs.logPath(jobId),
      timers: realTimers,
      pollMs: 50,
      retryMs: 100,
      readBytes: 13, // pieces that cut ✓, é and € anywhere
      onText: (t) => (text += t),
      onEnd: (st) => (end = st),
      onReadFailed: () => failures++,
    });
    follower.start();
    try {
      await dropWhileFollowing(
        shell,
        () => text.length,
        () => failures,
        25,
      );
      await waitFor('the follower to end', () => end, Boolean, 30_000, 50);
    } finally {
      follower.stop(); // a failed wait must not leave it polling (mocha would never exit)
      await shell.close();
    }
    assert.deepEqual(Buffer.from(text), logOf(jobId));
    assert.equal(end?.kind === 'exited' && end.exitCode, 0);
    assert.ok(shell.connections >= 4, `${shell.connections} connections`);
  });

  it('Stop: TERM ends a normal job and every process of its group; the exit reads stopped', async () => {
    const jobs = new JobRemote(t.conn, { dir });
    const jobId = await started(jobs, 'sleep 300 & echo "child $!"; sleep 301 & echo "child $!"; wait');
    const children = await waitFor(
      'both children',
      () =>
        [
          ...logOf(jobId)
            .toString()
            .matchAll(/child (\d+)/g),
        ].map((m) => Number(m[1])),
      (p) => p.length === 2,
      10_000,
      50,
    );
    assert.deepEqual(await jobs.stop(jobId, 20), { kind: 'stopping' });
    const end = await ended(jobs, jobId);
    assert.deepEqual(end.kind === 'exited' && [end.exitCode, end.stopped], [143, true]);
    assert.ok(end.kind === 'exited' && end.run.stopRequestedAtMs! <= end.endedAtMs);
    assert.ok(end.kind === 'exited' && end.endedAtMs - end.run.stopRequestedAtMs! < 10_000, 'by TERM, not the KILL');
    for (const pid of children) await gone(pid); // stopped with its job (the whole group)
    assert.deepEqual(await jobs.stop(jobId, 1), { kind: 'notRunning' });
    assert.deepEqual(await jobs.stop('0000000000-none', 1), { kind: 'notRunning' });
  });

  it('Stop: a job that ignores TERM is killed after the grace, by the machine, with the connection gone', async () => {
    const jobs = new JobRemote(t.conn, { dir });
    const jobId = await started(jobs, 'trap \'\' TERM; echo stubborn; sleep 60 & echo "child $!"; wait');
    await waitFor(
      'the child',
      () => logOf(jobId).toString(),
      (t) => t.includes('child'),
      10_000,
      50,
    );
    const child = Number(/child (\d+)/.exec(logOf(jobId).toString())![1]);
    assert.deepEqual(await jobs.stop(jobId, 2), { kind: 'stopping' });
    await t.conn.close(); // the laptop closes: the KILL must still come
    t.conn = await t.s.connect();
    const again = new JobRemote(t.conn, { dir });
    assert.equal((await again.status(jobId)).kind, 'running', 'TERM alone did not end it');
    const end = await ended(again, jobId);
    assert.deepEqual(end.kind === 'exited' && [end.exitCode, end.stopped], [137, true]);
    await gone(child);
  });

  it("Stop: a child that ignores TERM outliving the job's shell is killed after the grace too (the whole group)", async () => {
    const jobs = new JobRemote(t.conn, { dir });
    const jobId = await started(jobs, '(trap "" TERM; sleep 60) & echo "child $!"; wait');
    const child = await waitFor(
      'the child',
      () => /child (\d+)/.exec(logOf(jobId).toString()),
      (m) => m !== null,
      10_000,
      50,
    );
    assert.deepEqual(await jobs.stop(jobId, 2), { kind: 'stopping' });
    const end = await ended(jobs, jobId);
    assert.deepEqual(end.kind === 'exited' && [end.exitCode, end.stopped], [143, true], 'the shell ended by TERM');
    await gone(Number(child![1])); // the child that ignored TERM, by the machine's KILL after the grace
  });

  it('list(): several jobs newest first, each in its state; other entries of the dir are not jobs', async () => {
    const ids = ['0000000001-aaaa', '0000000002-bbbb', '0000000003-cccc'];
    let next = 0;
    const jobs = new JobRemote(t.conn, { dir, newJobId: () => ids[next++]! });
    assert.deepEqual(await jobs.list(), { kind: 'listed', jobs: [] }, 'no jobs dir yet');
    await started(jobs, 'exit 0', '', 'first');
    await started(jobs, 'exit 1', '', 'second\nline');
    await started(jobs, 'sleep 30', '', 'third');
    await ended(jobs, ids[1]!);
    await ended(jobs, ids[0]!);
    mkdirSync(join(dir, 'Not A Job'));
    mkdirSync(join(dir, '.new.0000000009-zzzz'));
    const listing = await jobs.list();
    assert.equal(listing.kind, 'listed', JSON.stringify(listing));
    if (listing.kind !== 'listed') return;
    assert.deepEqual(
      listing.jobs.map((j) => [j.run.runId, j.run.name, j.kind, j.kind === 'exited' ? j.exitCode : null]),
      [
        [ids[2], 'third', 'running', null],
        [ids[1], 'second line', 'exited', 1],
        [ids[0], 'first', 'exited', 0],
      ],
    );
    assert.equal(listing.unreadable, undefined);
    assert.equal((await jobs.stop(ids[2]!, 1)).kind, 'stopping');
    assert.deepEqual(await jobs.status('0000000009-none'), { kind: 'none' });
    await assert.rejects(jobs.status('../etc'), RangeError);
  });

  it('start returns at once; a runner killed without an exit file reads lost (never exited), and Stop then sends nothing', async () => {
    const jobs = new JobRemote(t.conn, { dir });
    const before = performance.now();
    const jobId = await started(jobs, 'sleep 30');
    assert.ok(performance.now() - before < 5_000, 'start did not wait for the job');
    assert.equal((await jobs.status(jobId)).kind, 'running');
    const runner = Number(readFileSync(join(dir, jobId, 'pid'), 'utf8'));
    const group = Number(readFileSync(join(dir, jobId, 'pgid'), 'utf8'));
    process.kill(runner, 'SIGKILL');
    process.kill(-group, 'SIGKILL');
    const lost = await until(jobs, jobId, (a) => a.kind !== 'running', 'the job to read lost');
    assert.equal(lost.kind, 'lost', JSON.stringify(lost));
    assert.deepEqual(await jobs.stop(jobId, 1), { kind: 'notRunning' });
  });

  it('a machine without bash: missingTool bash, nothing written', async () => {
    const bin = join(t.s.gpu.sshd.dir, 'jobs-no-bash-bin');
    mkdirSync(bin, { recursive: true });
    for (const tool of ['sh', 'setsid', 'base64', 'head', 'tail', 'mv', 'grep', 'sort', 'tr', 'wc', 'mkdir', 'rm'])
      if (!existsSync(join(bin, tool))) symlinkSync(`/usr/bin/${tool}`, join(bin, tool));
    const noBash = { run: (command: string, ms: number) => t.conn.run(`PATH='${bin}'; export PATH\n${command}`, ms) };
    const outcome = await new JobRemote(noBash, { dir }).start({ name: 'x', command: 'echo hi', workdir: '' });
    assert.deepEqual(outcome, { kind: 'missingTool', tool: 'bash' });
    assert.equal(existsSync(dir), false);
  });

  it('runs in its workdir under home; a missing one is said in the log and it runs in home', async () => {
    const home = await homeOf(t.conn);
    const copy = `fal job copy '${process.pid}'`;
    mkdirSync(join(home, copy), { recursive: true });
    try {
      const jobs = new JobRemote(t.conn, { dir });
      const inCopy = await started(jobs, 'pwd', copy);
      await ended(jobs, inCopy);
      assert.equal(logOf(inCopy).toString(), `${join(home, copy)}\n`);
      const missing = await started(jobs, 'pwd', 'no such copy');
      const end = await ended(jobs, missing);
      assert.equal(end.kind === 'exited' && end.run.workdir, 'no such copy');
      assert.equal(
        logOf(missing).toString(),
        `fal: ~/no such copy is missing; the job runs in the home folder\n${home}\n`,
      );
    } finally {
      rmSync(join(home, copy), { recursive: true, force: true });
    }
  });
});

/** Gone, or a zombie (killed, not yet reaped by whoever inherited it): kill(pid, 0) alone counts a zombie as alive. */
function isGone(pid: number): boolean {
  try {
    return /^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

const gone = (pid: number) => waitFor(`process ${pid} to be gone`, () => isGone(pid), Boolean, 5_000, 50);
