// Which host keys the GPU transport accepts, and how an encrypted key is recognised — decided
// from local files before any connection.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acceptedHostKeys } from '../../../src/connections/sshTransport';
import { defaultAgentPath, keyAuth, openSshPublicBlob } from '../../../src/connections/keyAuth';
import { CommandTransportError } from '../../../src/connections/commandTransport';
import { findKnownHostKeys, hostKeyAlgorithms, isAcceptedHostKey } from '../../../src/ssh/knownHosts';

const KEYGEN = '/usr/bin/ssh-keygen';
const ED_A = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const ED_B = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
const blob = (line: string) => Buffer.from(line.split(' ')[1]!, 'base64');
const target = { id: 'gpu-1', ip: '203.0.113.7', port: 22, user: 'ubuntu' };

describe('GPU host keys (our known_hosts, before any connection)', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fal-gpu-hk-'));
    file = join(dir, 'known_hosts');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('the HostKeyAlias entry wins over the IP entry; without one, the IP (port 22 bare, else [ip]:port)', async () => {
    writeFileSync(file, `203.0.113.7 ${ED_B}\nfal-gpu-1 ${ED_A}\n`);
    const keys = await acceptedHostKeys(file, target);
    assert.equal(keys.foundUnder, 'fal-gpu-1');
    assert.ok(isAcceptedHostKey(blob(ED_A), keys));
    assert.ok(!isAcceptedHostKey(blob(ED_B), keys), 'the IP may belong to a deleted instance');
    writeFileSync(file, `[203.0.113.7]:2222 ${ED_B}\n`);
    assert.ok(isAcceptedHostKey(blob(ED_B), await acceptedHostKeys(file, { ...target, port: 2222 })));
    await assert.rejects(acceptedHostKeys(file, target), (e: CommandTransportError) => e.kind === 'hostKeyUnknown');
  });

  it('hashed names (HashKnownHosts) are found; @revoked keys are refused; @cert-authority lines are not host keys', async () => {
    const salt = randomBytes(20);
    const hashed = `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update('fal-gpu-1').digest('base64')}`;
    writeFileSync(file, `# comment\n@cert-authority * ${ED_B}\n${hashed} ${ED_A}\n@revoked * ${ED_A}\n`);
    const keys = await acceptedHostKeys(file, target);
    assert.equal(keys.accepted.length, 1);
    assert.ok(!isAcceptedHostKey(blob(ED_A), keys), 'revoked wins');
    assert.deepEqual(
      findKnownHostKeys(readFileSync(file, 'utf8'), ['fal-gpu-1']).map((k) => k.revoked),
      [false, true],
    );
  });

  it('offers only the host key algorithms of the keys it knows (RSA with SHA-2 first)', async () => {
    writeFileSync(file, `fal-gpu-1 ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ==\nfal-gpu-1 ${ED_A}\n`);
    assert.deepEqual(hostKeyAlgorithms(await acceptedHostKeys(file, target)), [
      'rsa-sha2-512',
      'rsa-sha2-256',
      'ssh-rsa',
      'ssh-ed25519',
    ]);
  });

  it('garbage in known_hosts is skipped, never thrown', async () => {
    writeFileSync(
      file,
      `\u0000\u0001binary\n${'x'.repeat(100_000)}\nfal-gpu-1\nfal-gpu-1 ssh-ed25519\nfal-gpu-1 ${ED_A}\n`,
    );
    assert.equal((await acceptedHostKeys(file, target)).accepted.length, 1);
  });
});

describe('GPU key authentication (never prompts)', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'fal-gpu-key-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const parseKey = (data: Buffer) => require('ssh2').utils.parseKey(data);

  it('an encrypted key: its public half is read from the openssh-key-v1 header, without the passphrase', async () => {
    const key = join(dir, 'locked');
    execFileSync(KEYGEN, ['-q', '-t', 'ed25519', '-N', 'secret', '-f', key]);
    const pub = blob(readFileSync(`${key}.pub`, 'utf8').trim());
    assert.deepEqual(openSshPublicBlob(readFileSync(key, 'utf8')), pub);
    rmSync(`${key}.pub`);
    const viaAgent = await keyAuth(key, parseKey, '/run/agent.sock');
    assert.deepEqual(viaAgent.kind === 'agent' && viaAgent.publicBlob, pub, 'no .pub needed');
    await assert.rejects(
      keyAuth(key, parseKey, undefined),
      (e: CommandTransportError) =>
        e.kind === 'keyEncrypted' && /passphrase-protected: add it to ssh-agent/.test(e.message),
    );
  });

  it('a plain key is used directly; a missing or non-key file is a clear local error', async () => {
    const key = join(dir, 'plain');
    execFileSync(KEYGEN, ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
    assert.equal((await keyAuth(key, parseKey, undefined)).kind, 'key');
    await assert.rejects(
      keyAuth(join(dir, 'nope'), parseKey, undefined),
      (e: CommandTransportError) => e.kind === 'localFile' && /does not exist/.test(e.message),
    );
    writeFileSync(join(dir, 'notakey'), 'hello');
    await assert.rejects(
      keyAuth(join(dir, 'notakey'), parseKey, undefined),
      (e: CommandTransportError) => e.kind === 'localFile' && /not a private key/.test(e.message),
    );
  });

  it("the agent: SSH_AUTH_SOCK, else Windows' OpenSSH agent pipe, else none", () => {
    assert.equal(defaultAgentPath({ SSH_AUTH_SOCK: '/tmp/a.sock' }, 'linux'), '/tmp/a.sock');
    assert.equal(defaultAgentPath({}, 'win32'), '\\\\.\\pipe\\openssh-ssh-agent');
    assert.equal(defaultAgentPath({}, 'darwin'), undefined);
  });
});
