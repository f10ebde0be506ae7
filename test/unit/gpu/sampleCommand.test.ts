// One command per sample: its text, and what every kind of answer means.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { SampleCommand } from '../../../src/gpu/sampleCommand';
import { fixture } from './fixtures';
import { writeStubNvidiaSmi } from './stubNvidiaSmi';

const command = new SampleCommand('abc123');
const M = '@@fal-gpu-abc123';
const ok = (stdout: string) => ({ stdout, stderr: '', exitCode: 0, truncated: false });

describe('SampleCommand', () => {
  it('is one shell command running both queries, the second only after the first succeeded', () => {
    assert.equal((command.text.match(/nvidia-smi --query-/g) ?? []).length, 2);
    assert.match(
      command.text,
      /--query-gpu=index,name,utilization\.gpu,memory\.used,memory\.total,temperature\.gpu,power\.draw,power\.limit --format=csv,noheader,nounits/,
    );
    assert.match(
      command.text,
      /--query-compute-apps=gpu_uuid,pid,process_name,used_memory --format=csv,noheader,nounits/,
    );
    assert.notEqual(new SampleCommand().text, new SampleCommand().text, 'the marker nonce is random per sampler');
  });

  it('busy 8x: GPUs and processes', () => {
    const out = `${fixture('query-gpu.h100x8-busy.csv')}${M} gpu 0\n${fixture('query-compute-apps.h100x8-busy.csv')}${M} apps 0\n`;
    const r = command.interpret(ok(out));
    assert.equal(r.kind, 'ok');
    assert.equal(r.kind === 'ok' && r.gpus.length, 8);
    assert.equal(r.kind === 'ok' && r.processes.length, 15);
  });

  it('idle: no process', () => {
    const r = command.interpret(ok(`${fixture('query-gpu.h100x1-idle.csv')}${M} gpu 0\n${M} apps 0\n`));
    assert.deepEqual(r.kind === 'ok' && r.processes, []);
  });

  it("missing nvidia-smi (the shell's 127) → noNvidiaSmi with the shell's text", () => {
    const r = command.interpret({
      stderr: '',
      stdout: `${fixture('command-not-found.bash.txt')}${M} gpu 127\n`,
      exitCode: 1,
      truncated: false,
    });
    assert.deepEqual(r, { kind: 'noNvidiaSmi', message: 'bash: nvidia-smi: command not found' });
  });

  it("driver failure → driverFailed with nvidia-smi's own text", () => {
    const r = command.interpret({
      stderr: '',
      stdout: `${fixture('driver-failed.txt')}${M} gpu 9\n`,
      exitCode: 1,
      truncated: false,
    });
    assert.deepEqual(r, { kind: 'driverFailed', message: fixture('driver-failed.txt').trim() });
  });

  it('output without markers (cut off, or a shell that is not sh) is a sampleFailed, never a crash', () => {
    assert.equal(
      command.interpret({
        stderr: '',
        stdout: fixture('query-gpu.h100x1-busy.csv'),
        exitCode: undefined,
        truncated: false,
      }).kind,
      'sampleFailed',
    );
    assert.equal(
      command.interpret({ stderr: '', stdout: 'x'.repeat(10), exitCode: 0, truncated: true }).kind,
      'sampleFailed',
    );
    assert.equal(
      command.interpret({
        stderr: '',
        stdout: `${fixture('query-gpu.h100x1-busy.csv')}${M} gpu 0\n`,
        exitCode: 0,
        truncated: false,
      }).kind,
      'sampleFailed',
    );
  });

  it('a process named like the marker cannot end the process list early', () => {
    const evil = `GPU-00000000-0000-0000-0000-000000000000, 7, ${M} apps 0, 10\n`;
    const out = `${fixture('query-gpu.h100x1-busy.csv')}${M} gpu 0\n${evil}${fixture('query-compute-apps.h100x1-busy.csv')}${M} apps 0\n`;
    const r = command.interpret(ok(out));
    assert.equal(r.kind === 'ok' && r.processes.length, 4);
  });

  it('any output gives an outcome (generated)', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 2000 }),
        fc.option(fc.integer({ min: 0, max: 255 }), { nil: undefined }),
        fc.boolean(),
        (output, exitCode, truncated) => {
          const r = command.interpret({ stdout: output, stderr: '', exitCode, truncated });
          assert.ok(['ok', 'noNvidiaSmi', 'driverFailed', 'sampleFailed'].includes(r.kind));
        },
      ),
    );
  });

  describe('run by a real shell against the stub nvidia-smi', () => {
    let dir: string;
    before(() => (dir = mkdtempSync(join(tmpdir(), 'fal-gpu-cmd-'))));
    after(() => rmSync(dir, { recursive: true, force: true }));

    const runIn = (shell: string) => {
      try {
        return {
          stdout: execFileSync(shell, ['-c', command.text], {
            env: { PATH: `${dir}/bin:/usr/bin:/bin` },
            encoding: 'utf8',
            stdio: ['ignore', 'pipe', 'pipe'],
          }),
          stderr: '',
          exitCode: 0,
          truncated: false,
        };
      } catch (e) {
        const err = e as { stdout: string; stderr: string; status: number };
        return { stdout: err.stdout, stderr: err.stderr, exitCode: err.status, truncated: false };
      }
    };

    for (const shell of ['/bin/bash', '/bin/sh']) {
      it(`${shell}: busy, then driver failure, then missing`, () => {
        const stub = writeStubNvidiaSmi(dir);
        stub.set('h100x8-busy');
        const busy = command.interpret(runIn(shell));
        assert.equal(busy.kind === 'ok' && busy.gpus.length, 8, JSON.stringify(busy));
        stub.set('driver-failed');
        assert.equal(command.interpret(runIn(shell)).kind, 'driverFailed');
        stub.set('missing');
        const missing = command.interpret(runIn(shell));
        assert.equal(missing.kind, 'noNvidiaSmi', JSON.stringify(missing));
      });
    }
  });
});
