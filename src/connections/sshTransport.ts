// CommandTransport over the ssh2 library: one SSH connection per instance, kept open, one session per
// command. ssh2 is loaded on the first connection (from dist/ssh2.js in the bundle, see
// esbuild.mjs), so activation never pays for it. Everything that can refuse a connection is
// decided before the first TCP packet: a known host key, a usable private key. Nothing prompts.
import * as l10n from '@vscode/l10n';
import type { AgentAuthMethod, BaseAgent, ConnectConfig, ParsedKey, PublicKeyAuthMethod } from 'ssh2';
import { realTimers, type Timers } from '../base/timers';
import { hostAliasIfValid } from '../ssh/hostEntry';
import { hostKeyAlgorithms, isAcceptedHostKey, knownHostKeys, type InstanceHostKeys } from '../ssh/knownHosts';
import { errorCode } from '../ssh/nodeErrors';
import { defaultAgentPath, keyAuth, type KeyAuth } from './keyAuth';
import { rememberHostKey } from '../ssh/rememberHostKey';
import { Ssh2Connection } from './ssh2Connection';
import {
  CommandTransportError,
  type CommandConnection,
  type CommandTransport,
  type ConnectOptions,
} from './commandTransport';
import type { SshTarget } from './types';

type Ssh2 = typeof import('ssh2');
let bundled: Ssh2 | undefined;
// A plain require (not import()): the bundle stays CommonJS end to end, as the extension host expects.
export const loadBundledSsh2 = (): Ssh2 => (bundled ??= require('ssh2') as Ssh2);

export interface SshTransportOptions {
  /** ~/.ssh/fal/known_hosts: the only place host keys are looked up. */
  readonly knownHostsFile: string;
  /** TCP connect + key exchange + authentication. */
  readonly connectTimeoutMs?: number;
  /** SSH keepalive while a connection is open (notices a dead machine); 0 turns it off. */
  readonly keepaliveMs?: number;
  /** The most a command's stdout + stderr may hold (default 256 KiB, the sample command's bound). */
  readonly maxOutputBytes?: number;
  /** The ssh-agent for passphrase-protected keys; default $SSH_AUTH_SOCK (Windows: the OpenSSH agent pipe). */
  readonly agentPath?: string;
  readonly timers?: Timers;
  /** Log lines (English, no key material): a host key recorded by accept-new. */
  readonly log?: (line: string) => void;
  /** Where ssh2 comes from (tests load dist/ssh2.js to prove the shipped bundle works). */
  readonly loadSsh2?: () => Ssh2;
}

export function createSshTransport(options: SshTransportOptions): CommandTransport {
  const timers = options.timers ?? realTimers;
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
  const agentPath = 'agentPath' in options ? options.agentPath : defaultAgentPath();
  const load = options.loadSsh2 ?? loadBundledSsh2;
  return {
    async connect(target, connectOptions: ConnectOptions = {}) {
      const alias = hostAliasIfValid(target.id);
      const hostKeys = await acceptedHostKeys(options.knownHostsFile, target).catch((e: unknown) => {
        // accept-new: only for an instance whose keys go under its alias (never a bare address).
        if (
          connectOptions.acceptNewHostKey &&
          alias &&
          e instanceof CommandTransportError &&
          e.kind === 'hostKeyUnknown'
        )
          return undefined;
        throw e;
      });
      const algorithms = hostKeys ? hostKeyAlgorithms(hostKeys) : [];
      if (hostKeys && algorithms.length === 0) {
        throw new CommandTransportError(
          'localFile',
          l10n.t`the host key remembered for ${hostKeys.foundUnder} is of a type this extension cannot check (${String(hostKeys.accepted[0]?.type)})`,
        );
      }
      const ssh2 = load();
      const auth = await keyAuth(target.identityFile, (data) => ssh2.utils.parseKey(data), agentPath);
      const agent = auth.kind === 'agent' ? await agentHolding(ssh2, auth, target.identityFile) : undefined;
      const client = new ssh2.Client();
      let mismatch = false;
      const config: ConnectConfig = {
        host: target.ip,
        port: target.port,
        username: target.user,
        readyTimeout: connectTimeoutMs,
        keepaliveInterval: options.keepaliveMs ?? 30_000,
        keepaliveCountMax: 3,
        tryKeyboard: false,
        ...(hostKeys
          ? {
              algorithms: { serverHostKey: algorithms as NonNullable<ConnectConfig['algorithms']>['serverHostKey'] },
              hostVerifier: (key: Buffer) => {
                const ok = isAcceptedHostKey(key, hostKeys);
                if (!ok) mismatch = true;
                return ok;
              },
            }
          : {
              hostVerifier: (key: Buffer, verify: (ok: boolean) => void) =>
                void rememberHostKey(options.knownHostsFile, alias!, key).then(
                  (ok) => {
                    if (!ok) mismatch = true;
                    else options.log?.(`${alias!}: host key recorded on first connection (accept-new)`);
                    verify(ok);
                  },
                  () => verify(false),
                ),
            }),
        // Only this key, once: never a password, never keyboard-interactive, never other agent keys.
        authHandler: [authMethod(target.user, auth, agent)] as NonNullable<ConnectConfig['authHandler']>,
      };
      return new Promise<CommandConnection>((resolve, reject) => {
        // ssh2 may emit more than one error (handshake, then socket): the listener stays, so a
        // late one is never an unhandled 'error' event that would take the extension host down.
        let settled = false;
        client.on('error', (err: Error & { level?: string; code?: string }) => {
          if (settled) return;
          settled = true;
          client.destroy();
          reject(
            connectError(
              err,
              mismatch,
              target,
              hostKeys?.foundUnder ?? alias!,
              options.knownHostsFile,
              connectTimeoutMs,
            ),
          );
        });
        client.once('ready', () => {
          if (settled) return;
          settled = true;
          resolve(new Ssh2Connection(client, timers, options.maxOutputBytes ?? 256 * 1024));
        });
        client.connect(config);
      });
    },
  };
}

/** Only this key, once: never a password, never keyboard-interactive, never another agent key. */
function authMethod(
  username: string,
  auth: KeyAuth,
  agent: BaseAgent | undefined,
): AgentAuthMethod | PublicKeyAuthMethod {
  if (agent) return { type: 'agent', username, agent };
  if (auth.kind !== 'key') throw new Error(l10n.t('an encrypted key needs the agent'));
  return { type: 'publickey', username, key: auth.key };
}

/** The agent, offering only our key; refuses before connecting when the agent does not hold it. */
async function agentHolding(ssh2: Ssh2, auth: Extract<KeyAuth, { kind: 'agent' }>, identityFile: string) {
  const agent = ssh2.createAgent(auth.agentPath);
  const all = await new Promise<ParsedKey[]>((resolve, reject) =>
    agent.getIdentities((err, keys) => (err ? reject(err) : resolve((keys ?? []) as ParsedKey[]))),
  ).catch((e: Error) => {
    throw new CommandTransportError(
      'keyEncrypted',
      l10n.t`the key ${identityFile} is passphrase-protected and ssh-agent (${auth.agentPath}) does not answer: ${e.message}`,
    );
  });
  const mine = all.filter((k) => k.getPublicSSH().equals(auth.publicBlob));
  if (mine.length === 0) {
    throw new CommandTransportError(
      'keyEncrypted',
      l10n.t`the key ${identityFile} is passphrase-protected: add it to ssh-agent (ssh-add "${identityFile}")`,
    );
  }
  const getIdentities = agent.getIdentities.bind(agent);
  agent.getIdentities = (cb) =>
    getIdentities((err, keys) =>
      cb(
        err,
        (keys as ParsedKey[] | undefined)?.filter((k) => k.getPublicSSH().equals(auth.publicBlob)),
      ),
    );
  return agent;
}

type AcceptedHostKeys = InstanceHostKeys & {
  /** What the keys were found under, for messages. */
  readonly foundUnder: string;
};

/**
 * Which host keys we accept for an instance, from our own known_hosts, decided before any
 * connection (ssh/knownHosts.ts: the alias's keys win, fal reuses IP addresses). Throws
 * ('hostKeyUnknown') when none is remembered, ('localFile') when the file cannot be read.
 */
export async function acceptedHostKeys(
  knownHostsFile: string,
  target: Omit<SshTarget, 'identityFile'>,
): Promise<AcceptedHostKeys> {
  const alias = hostAliasIfValid(target.id);
  const keys = await knownHostKeys(knownHostsFile, { alias, ip: target.ip, port: target.port }).catch((e: unknown) => {
    throw new CommandTransportError('localFile', l10n.t`cannot read ${knownHostsFile}: ${errorCode(e) ?? String(e)}`);
  });
  if (!keys.recordedAs) {
    throw new CommandTransportError(
      'hostKeyUnknown',
      l10n.t`no host key for ${alias ?? target.id} or ${target.ip} in ${knownHostsFile}: connect to the instance once first`,
    );
  }
  return { ...keys, foundUnder: keys.recordedAs === 'alias' ? alias! : target.ip };
}

function connectError(
  err: Error & { level?: string; code?: string },
  mismatch: boolean,
  target: SshTarget,
  /** What the host key was checked against (an alias or an address), for the message. */
  foundUnder: string,
  knownHostsFile: string,
  connectTimeoutMs: number,
): CommandTransportError {
  const where = `${target.ip}:${target.port}`;
  if (mismatch) {
    return new CommandTransportError(
      'hostKeyMismatch',
      l10n.t`the host key of ${where} is not the one remembered for ${foundUnder} in ${knownHostsFile}; nothing was sent. If the instance was replaced, use "Forget Host Key…"`,
    );
  }
  if (err.level === 'client-authentication')
    return new CommandTransportError(
      'auth',
      l10n.t`the server refused the key ${String(target.identityFile)} for user ${target.user}`,
    );
  if (err.level === 'client-timeout')
    return new CommandTransportError(
      'timeout',
      l10n.t`no SSH answer from ${where} within ${Math.round(connectTimeoutMs / 1000)} s`,
    );
  if (err.code === 'ECONNREFUSED')
    return new CommandTransportError('network', l10n.t`${where} refused the connection (is sshd running?)`);
  if (err.code) return new CommandTransportError('network', l10n.t`cannot reach ${where} (${err.code})`);
  return new CommandTransportError('network', `${where}: ${err.message}`);
}
