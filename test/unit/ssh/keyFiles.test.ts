import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { generateKeyPair, listPublicKeys, type OpenNewFile } from '../../../src/ssh/keyFiles';
import { encodeOpenSshEd25519PrivateKey, newEd25519Key } from '../../../src/ssh/openSshPrivateKey';
import { isKeyProblem, parsePublicKey } from '../../../src/ssh/publicKey';
import { WireReader } from '../../../src/ssh/sshWire';
import {
  hasOpenSsh,
  ISOLATED_SSH_OPTIONS,
  makeTempDir,
  removeDir,
  run,
  SSH,
  SSH_KEYGEN,
  SSHD,
  startSshd,
} from './helpers';

const ED = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJTDjUnD3KJKAJdbgtQq0+/NQl02lAEyFgh8xk1vBJoy';
const mode = (path: string) => statSync(path).mode & 0o777;
const enospc = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });

describe('ssh/keyFiles', () => {
  let dir: string;
  beforeEach(() => (dir = makeTempDir('fal-keys-')));
  afterEach(() => removeDir(dir));

  describe('listPublicKeys', () => {
    it('returns nothing for a missing folder', async () => {
      assert.deepEqual(await listPublicKeys(join(dir, 'nope')), { keys: [], skipped: [] });
    });

    it('lists valid *.pub files newest first, pairs private keys, and reports the files it skipped', async () => {
      const at = (name: string, seconds: number) => utimesSync(join(dir, name), seconds, seconds);
      writeFileSync(join(dir, 'old.pub'), `${ED} old\n`);
      writeFileSync(join(dir, 'old'), 'private');
      at('old.pub', 1_000_000);
      writeFileSync(join(dir, 'new.pub'), `${ED} new\n`);
      at('new.pub', 2_000_000);
      writeFileSync(join(dir, 'garbage.pub'), 'hello\n');
      writeFileSync(
        join(dir, 'oops.pub'),
        '-----BEGIN OPENSSH PRIVATE KEY-----\nxx\n-----END OPENSSH PRIVATE KEY-----\n',
      );
      writeFileSync(join(dir, 'id-cert.pub'), `ssh-ed25519-cert-v01@openssh.com AAAA me\n`);
      writeFileSync(join(dir, 'config'), 'Host x\n');
      mkdirSync(join(dir, 'folder.pub'));
      mkdirSync(join(dir, 'nested'));
      writeFileSync(join(dir, 'nested', 'deep.pub'), `${ED} deep\n`);
      symlinkSync(join(dir, 'nested', 'deep.pub'), join(dir, 'linked.pub'));
      at('linked.pub', 1_500_000);
      symlinkSync(join(dir, 'missing-target'), join(dir, 'dangling.pub'));

      const { keys, skipped } = await listPublicKeys(dir);
      assert.deepEqual(
        keys.map((k) => [k.publicKeyPath, k.privateKeyPath, k.parsed.comment]),
        [
          [join(dir, 'new.pub'), undefined, 'new'],
          [join(dir, 'linked.pub'), undefined, 'deep'],
          [join(dir, 'old.pub'), join(dir, 'old'), 'old'],
        ],
      );
      assert.equal(keys[0]!.mtimeMs, 2_000_000_000);
      const reasons = Object.fromEntries(skipped.map((s) => [s.path.slice(dir.length + 1), s.reason]));
      assert.deepEqual(Object.keys(reasons).sort(), ['dangling.pub', 'garbage.pub', 'id-cert.pub', 'oops.pub']);
      assert.match(reasons['oops.pub']!, /PRIVATE/);
      assert.match(reasons['id-cert.pub']!, /certificate/);
      assert.match(reasons['garbage.pub']!, /not a supported/);
      assert.match(reasons['dangling.pub']!, /cannot read/);
    });
  });

  describe('generateKeyPair', () => {
    it('writes an OpenSSH ed25519 pair that ssh-keygen reads back: same public key, same fingerprint', async function () {
      const sshDir = join(dir, 'home', '.ssh');
      const pair = await generateKeyPair({ sshDir, comment: 'me@laptop fal' });
      assert.equal(pair.privateKeyPath, join(sshDir, 'fal_ed25519'));
      assert.equal(pair.publicKeyPath, join(sshDir, 'fal_ed25519.pub'));
      assert.equal(mode(sshDir), 0o700);
      assert.equal(mode(pair.privateKeyPath), 0o600);
      assert.equal(mode(pair.publicKeyPath), 0o644);
      const privateText = readFileSync(pair.privateKeyPath, 'utf8');
      assert.match(
        privateText,
        /^-----BEGIN OPENSSH PRIVATE KEY-----\n([A-Za-z0-9+/=]{70}\n)+[A-Za-z0-9+/=]{1,70}\n-----END OPENSSH PRIVATE KEY-----\n$/,
      );
      const publicText = readFileSync(pair.publicKeyPath, 'utf8');
      assert.equal(publicText, `${pair.parsed.line}\n`);
      assert.match(publicText, /^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI[A-Za-z0-9+/]{43} me@laptop fal\n$/);

      if (!hasOpenSsh()) this.skip();
      const derived = await run(SSH_KEYGEN, ['-y', '-f', pair.privateKeyPath]);
      assert.equal(derived.code, 0, derived.stderr);
      assert.equal(derived.stdout.trim(), pair.parsed.line);
      const fingerprint = await run(SSH_KEYGEN, ['-lf', pair.publicKeyPath]);
      assert.equal(fingerprint.stdout, `256 ${pair.parsed.fingerprint} me@laptop fal (ED25519)\n`);
      // ssh-keygen also fingerprints the private file (it parses the whole container).
      assert.equal((await run(SSH_KEYGEN, ['-lf', pair.privateKeyPath])).stdout, fingerprint.stdout);
    });

    it('follows PROTOCOL.key exactly: magic, none/none, one key, equal checkints, padding 1,2,3…', () => {
      const key = newEd25519Key();
      const text = encodeOpenSshEd25519PrivateKey(key, 'c', 0x01020304);
      const body = Buffer.from(text.split('\n').slice(1, -2).join(''), 'base64');
      assert.equal(body.subarray(0, 15).toString('latin1'), 'openssh-key-v1\0');
      const r = new WireReader(body.subarray(15));
      assert.equal(r.ascii(), 'none');
      assert.equal(r.ascii(), 'none');
      assert.equal(r.bytes().length, 0);
      assert.equal(r.uint32(), 1);
      r.bytes(); // public blob
      const priv = r.bytes();
      assert.equal(r.remaining, 0);
      assert.equal(priv.length % 8, 0);
      const p = new WireReader(priv);
      assert.equal(p.uint32(), 0x01020304);
      assert.equal(p.uint32(), 0x01020304);
      assert.equal(p.ascii(), 'ssh-ed25519');
      assert.deepEqual(p.bytes(), key.publicKey);
      assert.deepEqual(p.bytes(), Buffer.concat([key.seed, key.publicKey]));
      assert.equal(p.bytes().toString(), 'c');
      const padding = [...priv.subarray(priv.length - p.remaining)];
      assert.deepEqual(
        padding,
        padding.map((_, i) => i + 1),
      );
    });

    it('sets 0600/0644 exactly even under a strict umask', async () => {
      const previous = process.umask(0o077);
      try {
        const pair = await generateKeyPair({ sshDir: dir });
        assert.equal(mode(pair.privateKeyPath), 0o600);
        assert.equal(mode(pair.publicKeyPath), 0o644);
        assert.match(pair.parsed.comment ?? '', /^fal-compute@/);
      } finally {
        process.umask(previous);
      }
    });

    it('never touches an existing key: fal_ed25519 taken → fal_ed25519_2, then _3', async () => {
      writeFileSync(join(dir, 'fal_ed25519'), 'existing private', { mode: 0o600 });
      writeFileSync(join(dir, 'fal_ed25519_2.pub'), 'existing orphan public');
      const pair = await generateKeyPair({ sshDir: dir });
      assert.equal(pair.privateKeyPath, join(dir, 'fal_ed25519_3'));
      assert.equal(readFileSync(join(dir, 'fal_ed25519'), 'utf8'), 'existing private');
      assert.equal(readFileSync(join(dir, 'fal_ed25519_2.pub'), 'utf8'), 'existing orphan public');
      assert.ok(!existsSync(join(dir, 'fal_ed25519.pub')) && !existsSync(join(dir, 'fal_ed25519_2')));
      const next = await generateKeyPair({ sshDir: dir, baseName: 'work' });
      assert.equal(next.privateKeyPath, join(dir, 'work'));
    });

    it('loses a race without overwriting: a file created between the check and the open stays', async () => {
      const racing: OpenNewFile = async (path, flags, fileMode) => {
        if (path === join(dir, 'fal_ed25519')) writeFileSync(path, 'written by another process');
        return open(path, flags, fileMode);
      };
      const pair = await generateKeyPair({ sshDir: dir }, racing);
      assert.equal(pair.privateKeyPath, join(dir, 'fal_ed25519_2'));
      assert.equal(readFileSync(join(dir, 'fal_ed25519'), 'utf8'), 'written by another process');
    });

    it('removes the private key it wrote when the public key cannot be written (no orphan)', async () => {
      const failingPublic: OpenNewFile = async (path, flags, fileMode) => {
        const handle = await open(path, flags, fileMode);
        if (!path.endsWith('.pub')) return handle;
        return {
          chmod: (m) => handle.chmod(m),
          sync: () => handle.sync(),
          close: () => handle.close(),
          writeFile: () => Promise.reject(enospc()),
        };
      };
      await assert.rejects(generateKeyPair({ sshDir: dir }, failingPublic), /ENOSPC/);
      assert.deepEqual(readdirSync(dir), []);
    });

    it('refuses names that are paths and comments with line breaks', async () => {
      await assert.rejects(generateKeyPair({ sshDir: dir, baseName: '../evil' }), /Invalid key file name/);
      await assert.rejects(generateKeyPair({ sshDir: dir, baseName: 'x.pub' }), /Invalid key file name/);
      await assert.rejects(generateKeyPair({ sshDir: dir, comment: 'a\nb' }), /single line/);
      assert.deepEqual(readdirSync(dir), []);
    });

    it('logs in to a real sshd with the generated key', async function () {
      if (!existsSync(SSHD) || !hasOpenSsh()) {
        this.test!.title += ` (skipped: ${SSHD} or the ssh client is not installed)`;
        return this.skip();
      }
      const pair = await generateKeyPair({ sshDir: join(dir, 'client') });
      const parsed = parsePublicKey(readFileSync(pair.publicKeyPath, 'utf8'));
      assert.ok(!isKeyProblem(parsed));
      const sshd = await startSshd(dir, `${parsed.line}\n`);
      try {
        const login = await run(SSH, [
          '-F',
          '/dev/null',
          '-p',
          String(sshd.port),
          '-i',
          pair.privateKeyPath,
          '-o',
          'StrictHostKeyChecking=no',
          '-o',
          `UserKnownHostsFile=${join(dir, 'known_hosts')}`,
          '-o',
          'IdentitiesOnly=yes',
          ...ISOLATED_SSH_OPTIONS,
          `${sshd.user}@127.0.0.1`,
          'echo logged-in',
        ]);
        assert.equal(login.code, 0, `${login.stderr}\n${readFileSync(sshd.logFile, 'utf8')}`);
        assert.equal(login.stdout, 'logged-in\n');
      } finally {
        await sshd.stop();
      }
    });
  });
});
