// GPU sampling cost, measured against a real sshd: the real GpuSampler and SSH transport (ssh2 from
// the shipped dist/ssh2.js), a stub nvidia-smi replaying a real 8x H100 output, and a stepping
// clock. The clock skips the waits between samples (an hour runs in seconds) but every sample is a
// real SSH command, and every count comes from sshd's log (LogLevel VERBOSE), not from our code.
import { resolve } from 'node:path';
import type { Timers } from '../../src/base/timers';
import { GpuSampler } from '../../src/gpu/sampler';
import { createSshTransport } from '../../src/connections/sshTransport';
import { aliasLine, startGpuSshd, type GpuSshd } from '../unit/gpu/gpuSshd';
import { writeFileSync } from 'node:fs';

export interface GpuSamplingBench {
  /** Visible and focused for a simulated hour at the default 10 s. */
  visible: {
    sessionsPerHour: number;
    commandsPerMinute: number;
    samples: number;
    cpuMsPerSample: number;
    wallMsPerSample: number;
  };
  /** A simulated hour with the view hidden, then one with the window unfocused: what reached sshd. */
  hidden: { sessions: number; commands: number; timersFired: number; cpuMs: number };
  unfocused: { sessions: number; commands: number; timersFired: number; connectionsOpenAfter: number };
  /** fal.idle.autoDelete on, the instance eligible: a simulated hour hidden, then one unfocused (the watch). */
  watched: { hiddenSessions: number; hiddenCommands: number; unfocusedSessions: number; unfocusedCommands: number };
}

/** Timers whose clock moves only when run() says so; each fired timer's sample finishes before the next. */
class SteppingClock implements Timers {
  private time = 0;
  private seq = 0;
  fired = 0;
  private readonly pending = new Map<number, { at: number; fn: () => void }>();
  now = () => this.time;
  setTimeout = (fn: () => void, ms: number) => (this.pending.set(++this.seq, { at: this.time + ms, fn }), this.seq);
  clearTimeout = (h: unknown) => void this.pending.delete(h as number);

  async run(ms: number, settled: () => Promise<void>): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      const next = [...this.pending.entries()].sort((a, b) => a[1].at - b[1].at)[0];
      if (!next || next[1].at > end) break;
      this.pending.delete(next[0]);
      this.time = next[1].at;
      this.fired++;
      next[1].fn();
      await settled();
    }
    this.time = end;
  }
}

const HOUR = 3_600_000;

export async function measureGpuSampling(): Promise<GpuSamplingBench> {
  const s: GpuSshd = await startGpuSshd();
  try {
    writeFileSync(s.knownHosts, aliasLine('bench', s.hostKey));
    s.stub.set('h100x8-busy');
    const bundle = resolve(__dirname, '../../../dist/ssh2.js');
    const clock = new SteppingClock();
    const sampler = new GpuSampler({
      transport: createSshTransport({
        knownHostsFile: s.knownHosts,
        agentPath: undefined,
        loadSsh2: () => require(bundle),
        keepaliveMs: 0,
      }),
      timers: clock,
    });
    sampler.setTargets([s.target('bench')]);
    const count = () => ({
      sessions: s.logLines(/Accepted publickey for /).length,
      commands: s.logLines(/Starting session: command for /).length,
    });
    // Waits on the sampler's own event (no polling), so the CPU measured is the sampler's, not the bench's.
    const settled = async () => {
      while (sampler.sampling) {
        await new Promise<void>((r) => {
          const sub = sampler.onDidChange(() => {
            sub.dispose();
            setImmediate(r); // the sample's bookkeeping ends right after its last event
          });
        });
      }
    };

    // Visible and focused for an hour.
    const v0 = count();
    const cpu0 = process.cpuUsage();
    const wall0 = process.hrtime.bigint();
    sampler.setFocused(true);
    sampler.setVisible(true);
    await clock.run(HOUR - 1, settled);
    const cpu = process.cpuUsage(cpu0);
    const wallMs = Number(process.hrtime.bigint() - wall0) / 1e6;
    const v1 = count();
    const samples = v1.commands - v0.commands;

    // Hidden for an hour.
    sampler.setVisible(false);
    await waitForLog(s, /Disconnected from user/);
    const h0 = count();
    const hiddenFired = clock.fired;
    const hiddenCpu = process.cpuUsage();
    await clock.run(HOUR, settled);
    const hiddenCpuUsed = process.cpuUsage(hiddenCpu);
    const h1 = count();
    const hiddenTimers = clock.fired - hiddenFired;

    // Visible again, then unfocused for an hour: sampling stops at once, the connection closes after 1 min.
    sampler.setVisible(true);
    await clock.run(0, settled);
    await clock.run(1, settled);
    const u0 = count();
    const unfocusedFired = clock.fired;
    sampler.setFocused(false);
    await clock.run(HOUR, settled);
    const u1 = count();
    const unfocusedOpen = sampler.openConnections;
    const unfocusedTimers = clock.fired - unfocusedFired;

    // Auto-delete on: the instance is watched while nobody looks (still unfocused, then hidden too).
    const w0 = count();
    sampler.setWatched(['bench']);
    await clock.run(HOUR - 1, settled);
    const w1 = count();
    sampler.setVisible(false);
    await clock.run(HOUR, settled);
    const w2 = count();
    const result: GpuSamplingBench = {
      visible: {
        sessionsPerHour: v1.sessions - v0.sessions,
        commandsPerMinute: samples / 60,
        samples,
        cpuMsPerSample: (cpu.user + cpu.system) / 1000 / samples,
        wallMsPerSample: wallMs / samples,
      },
      hidden: {
        sessions: h1.sessions - h0.sessions,
        commands: h1.commands - h0.commands,
        timersFired: hiddenTimers,
        cpuMs: (hiddenCpuUsed.user + hiddenCpuUsed.system) / 1000,
      },
      unfocused: {
        sessions: u1.sessions - u0.sessions,
        commands: u1.commands - u0.commands,
        timersFired: unfocusedTimers,
        connectionsOpenAfter: unfocusedOpen,
      },
      watched: {
        unfocusedSessions: w1.sessions - w0.sessions,
        unfocusedCommands: w1.commands - w0.commands,
        hiddenSessions: w2.sessions - w1.sessions,
        hiddenCommands: w2.commands - w1.commands,
      },
    };
    await sampler.dispose();
    return result;
  } finally {
    await s.dispose();
  }
}

async function waitForLog(s: GpuSshd, re: RegExp): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (s.logLines(re).length === 0) {
    if (Date.now() > deadline) throw new Error(`sshd never logged ${re}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

if (require.main === module) {
  measureGpuSampling().then(
    (r) => console.log(JSON.stringify(r, null, 2)),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
