// Whether the instance's host key still matches the one remembered for it in our known_hosts, by a
// key exchange only (ssh2, in this process): no login, no command, no `ssh` process. That is what
// the `ssh fal-<id>` of Remote-SSH checks first: our Host block sends ssh to our known_hosts and
// looks the key up under the alias alone (HostKeyAlias fal-<id>, CheckHostIP no; ssh -G proved
// both before this runs), and accepts a first key (StrictHostKeyChecking accept-new), recorded
// here the same way once the server proved it holds it. A changed key is the only failure acted
// upon; anything else (nothing listens, a timeout) is 'unknown' and Connect goes on, since
// Remote-SSH says those itself. Logging in as well (as a probe running `ssh … true` did) cost a
// second or more on a busy machine, between "ready" and the Remote-SSH window.
import type { ConnectConfig } from 'ssh2';
import { loadBundledSsh2 } from '../connections/sshTransport';
import { hostKeyAlgorithms, isAcceptedHostKey, knownHostKeys } from '../ssh/knownHosts';
import { rememberHostKey } from '../ssh/rememberHostKey';

export type HostKeyVerdict =
  | { readonly kind: 'ok' }
  | { readonly kind: 'changed'; readonly detail: string }
  | { readonly kind: 'unknown'; readonly reason: string };

export interface HostKeyProbeTarget {
  /** fal-<id>: the name the key is remembered under. */
  readonly alias: string;
  readonly ip: string;
  readonly port: number;
  /** Our known_hosts (~/.ssh/fal/known_hosts), the UserKnownHostsFile of our Host blocks. */
  readonly knownHostsFile: string;
}

export async function probeHostKey(
  target: HostKeyProbeTarget,
  options: { timeoutMs?: number; loadSsh2?: typeof loadBundledSsh2 } = {},
): Promise<HostKeyVerdict> {
  const { timeoutMs = 15_000, loadSsh2 = loadBundledSsh2 } = options;
  let keys;
  try {
    keys = await knownHostKeys(target.knownHostsFile, { alias: target.alias, ip: target.ip, port: target.port });
  } catch (e) {
    // l10n-exempt: log line only (checkHostKey logs an 'unknown' verdict's reason and goes on)
    return { kind: 'unknown', reason: `cannot read ${target.knownHostsFile}: ${String(e)}` };
  }
  // ssh looks under the alias only; a key remembered under the address is an earlier instance's.
  const remembered = keys.recordedAs === 'alias' ? keys.accepted : [];
  const ssh2 = loadSsh2();
  return new Promise<HostKeyVerdict>((resolve) => {
    const client = new ssh2.Client();
    let presented: Buffer | undefined;
    let verdict: HostKeyVerdict | undefined;
    let recording = false;
    const done = (v: HostKeyVerdict, fromConnection = false) => {
      if (verdict || (fromConnection && recording)) return;
      verdict = v;
      clearTimeout(timer);
      client.end();
      client.destroy();
      resolve(v);
    };
    const timer = setTimeout(
      // l10n-exempt: log line only (checkHostKey logs an 'unknown' verdict's reason and goes on)
      () => done({ kind: 'unknown', reason: `no key exchange within ${timeoutMs} ms` }),
      timeoutMs,
    );
    const changed = (detail: string): HostKeyVerdict => ({ kind: 'changed', detail });
    const algorithms = hostKeyAlgorithms({ accepted: remembered });
    const config: ConnectConfig = {
      host: target.ip,
      port: target.port,
      username: 'fal-host-key-check', // never sent: the connection ends before authentication
      readyTimeout: timeoutMs,
      ...(algorithms.length > 0 && {
        algorithms: { serverHostKey: algorithms as NonNullable<ConnectConfig['algorithms']>['serverHostKey'] },
      }),
      hostVerifier: (key: Buffer, verify: (ok: boolean) => void) => {
        presented = key;
        // A first key is judged once recorded (rememberHostKey refuses a revoked one).
        const ok = remembered.length === 0 || isAcceptedHostKey(key, { accepted: remembered, revoked: keys.revoked });
        if (!ok) {
          // l10n-exempt: log line only (checkHostKey words the 'changed' verdict for the user)
          done(changed(`the key presented is not the one remembered for ${target.alias}`));
        }
        verify(ok);
      },
      authHandler: [], // no method at all: nothing is ever offered to the server
    };
    // The key exchange is over and the server proved it holds the key it presented.
    client.on('handshake', () => {
      if (verdict || !presented) return;
      if (remembered.length) return done({ kind: 'ok' });
      const key = presented;
      recording = true; // the connection is done with; what the file says decides
      client.end();
      void rememberHostKey(target.knownHostsFile, target.alias, key).then(
        // false: another key was recorded for the alias meanwhile (or the type is one we do not check)
        // l10n-exempt: log line only (checkHostKey words the 'changed' verdict for the user)
        (recorded) => done(recorded ? { kind: 'ok' } : changed(`another key is remembered for ${target.alias}`)),
        // l10n-exempt: log line only (checkHostKey logs an 'unknown' verdict's reason and goes on)
        (e: unknown) => done({ kind: 'unknown', reason: `cannot record the host key: ${String(e)}` }),
      );
    });
    client.on('error', (e: Error) => done({ kind: 'unknown', reason: e.message }, true));
    // l10n-exempt: log line only (checkHostKey logs an 'unknown' verdict's reason and goes on)
    client.on('close', () =>
      done({ kind: 'unknown', reason: 'the connection closed before the key exchange ended' }, true),
    );
    client.connect(config);
  });
}
