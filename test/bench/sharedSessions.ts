// Issue 19 item 1's bench: SSH logins to one instance while the GPU view samples it (every second),
// a setup's log is followed in pieces, and the workspace is uploaded again and again — all at once,
// for `seconds` of real time, against a real sshd. Every one of them borrows from the connection
// owner (src/connections), so the instance should see ONE login however long it runs: a login per
// hour of 1. The sshd's own log (LogLevel VERBOSE) counts logins and sessions (channels).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { realTimers } from '../../src/base/timers';
import { SshConnections } from '../../src/connections/sshConnections';
import { createSshTransport } from '../../src/connections/sshTransport';
import { GpuSampler } from '../../src/gpu/sampler';
import { SetupLogFollower } from '../../src/setup/logFollower';
import { SetupRemote } from '../../src/setup/setupRemote';
import { chooseSetupScript } from '../../src/setup/setupSource';
import { uploadWorkspace } from '../../src/sync';
import { aliasLine, startGpuSshd } from '../unit/gpu/gpuSshd';

export interface SharedSessionsBench {
  readonly seconds: number;
  readonly logins: number;
  readonly sessions: number;
  readonly samples: number;
  readonly uploads: number;
  readonly logBytes: number;
}

export async function measureSharedSessions(seconds = 30): Promise<SharedSessionsBench> {
  const home = mkdtempSync(join(tmpdir(), 'fal-bench-sessions-'));
  const s = await startGpuSshd({ home });
  const local = join(home, 'workspace-local');
  mkdirSync(join(local, 'src'), { recursive: true });
  for (let i = 0; i < 50; i++) writeFileSync(join(local, 'src', `f${i}.py`), `print(${i})\n`);
  try {
    writeFileSync(s.knownHosts, aliasLine('bench-a', s.hostKey));
    const connections = new SshConnections(createSshTransport({ knownHostsFile: s.knownHosts, agentPath: undefined }));
    const target = s.target('bench-a');
    const logins = () => s.logLines(/Accepted publickey for /).length;
    const sessionsOpened = () => s.logLines(/Starting session: /).length;
    const before = { logins: logins(), sessions: sessionsOpened() };

    const sampler = new GpuSampler({ transport: connections, sampleSeconds: 1 });
    sampler.setTargets([target]);
    s.stub.set('h100x1-busy');
    sampler.setVisible(true);

    const setupConnection = await connections.connect(target);
    const remote = new SetupRemote(setupConnection, { dir: '.fal/setup' });
    const choice = chooseSetupScript(
      Buffer.from(`for i in $(seq 1 ${seconds * 4}); do echo "step $i"; sleep 0.25; done\n`),
      '',
    );
    if (choice.kind !== 'script') throw new Error('the bench script was not read as a script');
    await remote.start(choice.script, { timeoutSeconds: seconds * 4 });
    let logBytes = 0;
    const follower = new SetupLogFollower({
      source: remote,
      timers: realTimers,
      pollMs: 500,
      onText: (t) => (logBytes += Buffer.byteLength(t)),
      onEnd: () => undefined,
    });
    follower.start();

    const syncConnection = await connections.connect(target);
    const end = performance.now() + seconds * 1000;
    let uploads = 0;
    let samples = 0;
    while (performance.now() < end) {
      writeFileSync(join(local, 'src', 'changing.py'), `print(${uploads})\n`);
      await uploadWorkspace({ connection: syncConnection, localRoot: local, remoteDir: 'workspace' });
      uploads++;
      if (sampler.state('bench-a')?.kind === 'ok') samples++;
      await new Promise((r) => setTimeout(r, 1000));
    }
    follower.stop();
    sampler.setVisible(false);
    await setupConnection.close();
    await syncConnection.close();
    await connections.closeAll();
    return {
      seconds,
      logins: logins() - before.logins,
      sessions: sessionsOpened() - before.sessions,
      samples,
      uploads,
      logBytes,
    };
  } finally {
    await s.dispose();
    rmSync(home, { recursive: true, force: true });
  }
}
