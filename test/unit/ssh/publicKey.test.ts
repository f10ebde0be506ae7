import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  isKeyProblem,
  looksLikePrivateKey,
  parsePublicKey,
  privateKeyProblem,
  type ParsedPublicKey,
} from '../../../src/ssh/publicKey';
import { WireWriter } from '../../../src/ssh/sshWire';
import { hasOpenSsh, makeTempDir, removeDir, run, SSH_KEYGEN } from './helpers';

const parsed = (text: string): ParsedPublicKey => {
  const r = parsePublicKey(text);
  if (isKeyProblem(r)) assert.fail(`expected a key, got: ${r.problem}`);
  return r;
};
const problem = (text: string): string => {
  const r = parsePublicKey(text);
  if (!isKeyProblem(r)) assert.fail(`expected a problem for ${JSON.stringify(text.slice(0, 60))}`);
  return r.problem;
};
const b64 = (w: WireWriter) => w.toBuffer().toString('base64');
const ed25519Blob = () => b64(new WireWriter().string('ssh-ed25519').string(randomBytes(32)));

/** `ssh-keygen -lf` → { bits, fingerprint, comment, type } */
async function keygenFingerprint(pubFile: string) {
  const r = await run(SSH_KEYGEN, ['-lf', pubFile]);
  assert.equal(r.code, 0, r.stderr);
  const m = /^(\d+) (SHA256:\S+) (.*) \((\S+)\)\n$/.exec(r.stdout);
  assert.ok(m, r.stdout);
  return { bits: Number(m[1]), fingerprint: m[2]!, comment: m[3]!, type: m[4]! };
}

describe('ssh/publicKey', function () {
  let dir: string;
  // Real keys of every ssh-keygen type, made once for the whole describe.
  const generated: { file: string; type: string }[] = [
    { file: 'ed25519', type: 'ssh-ed25519' },
    { file: 'rsa', type: 'ssh-rsa' },
    { file: 'ecdsa256', type: 'ecdsa-sha2-nistp256' },
    { file: 'ecdsa384', type: 'ecdsa-sha2-nistp384' },
    { file: 'ecdsa521', type: 'ecdsa-sha2-nistp521' },
  ];

  before(async function () {
    dir = makeTempDir('fal-pubkey-');
    if (!hasOpenSsh()) return;
    const args: Record<string, string[]> = {
      ed25519: ['-t', 'ed25519'],
      rsa: ['-t', 'rsa', '-b', '2048'],
      ecdsa256: ['-t', 'ecdsa', '-b', '256'],
      ecdsa384: ['-t', 'ecdsa', '-b', '384'],
      ecdsa521: ['-t', 'ecdsa', '-b', '521'],
    };
    await Promise.all(
      generated.map(async ({ file }) => {
        const r = await run(SSH_KEYGEN, [
          '-q',
          ...args[file]!,
          '-N',
          '',
          '-C',
          `me@host ${file} key`,
          '-f',
          join(dir, file),
        ]);
        assert.equal(r.code, 0, r.stderr);
      }),
    );
  });
  after(() => removeDir(dir));

  it('parses every ssh-keygen key type, with the same fingerprint and size as ssh-keygen -lf', async function () {
    if (!hasOpenSsh()) this.skip();
    for (const { file, type } of generated) {
      const text = readFileSync(join(dir, `${file}.pub`), 'utf8');
      const key = parsed(text);
      const expected = await keygenFingerprint(join(dir, `${file}.pub`));
      assert.equal(key.type, type);
      assert.equal(key.fingerprint, expected.fingerprint, file);
      assert.equal(key.bits, expected.bits, file);
      assert.equal(key.comment, `me@host ${file} key`);
      assert.equal(key.line, text.trim());
    }
  });

  it('accepts FIDO (sk-) keys, fingerprinted like ssh-keygen -lf', async function () {
    if (!hasOpenSsh()) this.skip();
    // ssh-keygen checks the point is on the curve, so take a real P-256 public key.
    const jwk = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' });
    const point = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]);
    const keys = {
      'sk-ssh-ed25519@openssh.com': b64(
        new WireWriter().string('sk-ssh-ed25519@openssh.com').string(randomBytes(32)).string('ssh:'),
      ),
      'sk-ecdsa-sha2-nistp256@openssh.com': b64(
        new WireWriter().string('sk-ecdsa-sha2-nistp256@openssh.com').string('nistp256').string(point).string('ssh:'),
      ),
    };
    for (const [type, data] of Object.entries(keys)) {
      const file = join(dir, `${type}.pub`);
      writeFileSync(file, `${type} ${data} yubikey\n`);
      const key = parsed(readFileSync(file, 'utf8'));
      assert.equal(key.type, type);
      assert.equal(key.fingerprint, (await keygenFingerprint(file)).fingerprint);
    }
  });

  it('normalizes the line: BOM, CRLF, tabs and repeated spaces; keeps spaces inside the comment', () => {
    const data = ed25519Blob();
    const key = parsed(`\uFEFF  ssh-ed25519\t${data}   my laptop  key \r\n`);
    assert.equal(key.line, `ssh-ed25519 ${data} my laptop  key`);
    assert.equal(key.comment, 'my laptop  key');
    const bare = parsed(`ssh-ed25519 ${data}`);
    assert.equal(bare.comment, undefined);
    assert.equal(bare.line, `ssh-ed25519 ${data}`);
    assert.equal(
      bare.fingerprint,
      `SHA256:${createHash('sha256').update(Buffer.from(data, 'base64')).digest('base64').replace(/=+$/, '')}`,
    );
  });

  it('refuses private keys of every format with the PRIVATE message, never echoing the key', async function () {
    const samples = [
      '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE KEY-----\n',
      '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEAsecret\n-----END RSA PRIVATE KEY-----',
      '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIsecret\n-----END EC PRIVATE KEY-----',
      '-----BEGIN DSA PRIVATE KEY-----\nMIIBuwIBAAKBgQsecret\n-----END DSA PRIVATE KEY-----',
      '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIsecret\n-----END PRIVATE KEY-----',
      '-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFHDBOBgkqsecret\n-----END ENCRYPTED PRIVATE KEY-----',
      '---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----\nP2/56wAAAsecret\n---- END SSH2 ENCRYPTED PRIVATE KEY ----',
      'PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: me\nPublic-Lines: 2\n',
      // Only the body of an OpenSSH private key (copied without its armour lines).
      'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW',
      // A public key pasted together with the private key.
      `ssh-ed25519 ${ed25519Blob()} me\n-----BEGIN OPENSSH PRIVATE KEY-----\nxx\n-----END OPENSSH PRIVATE KEY-----`,
    ];
    if (hasOpenSsh()) {
      samples.push(readFileSync(join(dir, 'ed25519'), 'utf8'), readFileSync(join(dir, 'rsa'), 'utf8'));
      const pem = join(dir, 'pem_ecdsa');
      assert.equal((await run(SSH_KEYGEN, ['-q', '-t', 'ecdsa', '-m', 'PEM', '-N', '', '-f', pem])).code, 0);
      samples.push(readFileSync(pem, 'utf8'));
    }
    for (const sample of samples) {
      assert.ok(looksLikePrivateKey(sample), sample.slice(0, 40));
      const message = problem(sample);
      assert.equal(message, privateKeyProblem());
      assert.ok(!message.includes('secret') && !message.includes('b3BlbnNzaC'));
    }
    assert.equal(looksLikePrivateKey(`ssh-ed25519 ${ed25519Blob()} me`), false);
  });

  it('explains empty input, several keys, and a key broken over lines', () => {
    assert.match(problem(''), /empty/);
    assert.match(problem(' \n\t\r\n'), /empty/);
    assert.match(problem(`ssh-ed25519 ${ed25519Blob()} a\nssh-ed25519 ${ed25519Blob()} b\n`), /2 keys.*exactly one/);
    const data = ed25519Blob();
    assert.match(problem(`ssh-ed25519 ${data.slice(0, 30)}\n${data.slice(30)} me`), /one line/);
  });

  it('explains wrong formats: RFC 4716, PEM, certificates, DSA, unknown or missing type, authorized_keys options', async function () {
    const data = ed25519Blob();
    assert.match(
      problem(`---- BEGIN SSH2 PUBLIC KEY ----\nComment: "x"\n${data}\n---- END SSH2 PUBLIC KEY ----\n`),
      /ssh-keygen -i -f/,
    );
    if (hasOpenSsh()) {
      const rfc = await run(SSH_KEYGEN, ['-e', '-f', join(dir, 'ed25519.pub')]);
      assert.match(problem(rfc.stdout), /RFC 4716.*ssh-keygen -i -f/);
      const pkcs8 = await run(SSH_KEYGEN, ['-e', '-m', 'PKCS8', '-f', join(dir, 'ecdsa256.pub')]);
      assert.match(problem(pkcs8.stdout), /PEM.*ssh-keygen -i -m PKCS8 -f/);
    }
    assert.match(problem(`ssh-ed25519-cert-v01@openssh.com ${data} me`), /certificate/);
    assert.match(problem(`ssh-dss ${data}`), /DSA/);
    assert.match(problem(`ssh-foo ${data}`), /"ssh-foo" is not a supported.*ssh-ed25519, ssh-rsa/);
    assert.match(problem(`${data} me@host`), /key type is missing/);
    assert.match(problem('hello world'), /"hello" is not a supported/);
    assert.match(problem(`from="10.0.0.0/8",no-pty ssh-ed25519 ${data} me`), /options in front.*"ssh-ed25519"/);
    assert.match(problem(`command="echo hi" ssh-ed25519 ${data}`), /options/);
  });

  it('refuses key data that does not decode, is cut off, or does not match the declared type', () => {
    const data = ed25519Blob();
    assert.match(problem('ssh-ed25519'), /missing/);
    assert.match(problem('ssh-ed25519 AAAA!!!!'), /not valid base64/);
    assert.match(problem(`ssh-ed25519 ${data.slice(0, -4)}`), /damaged|not valid base64/);
    assert.match(problem(`ssh-ed25519 ${data.slice(0, -1)}`), /not valid base64/);
    assert.match(problem(`ssh-rsa ${data}`), /says ssh-rsa.*ssh-ed25519 key/);
    // Extra bytes after the key, a short ed25519 key, a wrong curve, a compressed point.
    const extra = b64(new WireWriter().string('ssh-ed25519').string(randomBytes(32)).string('x'));
    assert.match(problem(`ssh-ed25519 ${extra}`), /damaged \(trailing bytes\)/);
    assert.match(
      problem(`ssh-ed25519 ${b64(new WireWriter().string('ssh-ed25519').string(randomBytes(31)))}`),
      /damaged/,
    );
    const point = Buffer.concat([Buffer.from([4]), randomBytes(64)]);
    assert.match(
      problem(
        `ecdsa-sha2-nistp256 ${b64(new WireWriter().string('ecdsa-sha2-nistp256').string('nistp384').string(point))}`,
      ),
      /curve/,
    );
    const compressed = Buffer.concat([Buffer.from([2]), randomBytes(32)]);
    assert.match(
      problem(
        `ecdsa-sha2-nistp256 ${b64(new WireWriter().string('ecdsa-sha2-nistp256').string('nistp256').string(compressed))}`,
      ),
      /point/,
    );
  });

  it('refuses RSA keys OpenSSH would refuse (< 1024 bits)', () => {
    const n = Buffer.concat([Buffer.from([0x00, 0xc0]), randomBytes(95)]); // 768 bits
    const key = b64(
      new WireWriter()
        .string('ssh-rsa')
        .string(Buffer.from([1, 0, 1]))
        .string(n),
    );
    assert.match(problem(`ssh-rsa ${key}`), /only 768 bits.*1024/);
  });
});
