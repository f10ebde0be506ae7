import assert from 'node:assert/strict';
import { checkSshPublicKey } from '../../../src/api/sshKey';

const DATA = 'AAAAC3NzaC1lZDI1NTE5AAAAIHVsdGltYXRlbHkgYSB0ZXN0IGtleSBmb3IgZmFs';

describe('api/sshKey', () => {
  it('accepts OpenSSH public keys of the common types, with or without a comment', () => {
    for (const type of [
      'ssh-ed25519',
      'ssh-rsa',
      'ecdsa-sha2-nistp256',
      'ecdsa-sha2-nistp521',
      'sk-ssh-ed25519@openssh.com',
      'sk-ecdsa-sha2-nistp256@openssh.com',
    ]) {
      assert.equal(checkSshPublicKey(`${type} ${DATA}`), undefined, type);
      assert.equal(checkSshPublicKey(`${type} ${DATA} me@host\n`), undefined, type);
    }
  });

  it('refuses private keys of every common format, calling them private', () => {
    const privateKeys = [
      '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----',
      '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----',
      '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----',
      '-----BEGIN PRIVATE KEY-----\nMC4CAQAw\n-----END PRIVATE KEY-----',
      'PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none',
    ];
    for (const key of privateKeys) {
      const message = checkSshPublicKey(key) ?? '';
      assert.match(message, /PRIVATE/, key);
      assert.ok(!message.includes('b3BlbnNzaC1rZXktdjEAAAAA') && !message.includes('MIIEpAIBAAKCAQEA'));
    }
  });

  it('refuses empty, multi-line, SSH2-format and non-key input', () => {
    assert.match(checkSshPublicKey('  ') ?? '', /empty/);
    assert.match(checkSshPublicKey(`ssh-ed25519 ${DATA}\nssh-rsa ${DATA}`) ?? '', /single line/);
    assert.match(
      checkSshPublicKey('---- BEGIN SSH2 PUBLIC KEY ----\nAAAAB3Nza\n---- END SSH2 PUBLIC KEY ----') ?? '',
      /ssh-keygen -i/,
    );
    assert.match(checkSshPublicKey('hello world') ?? '', /OpenSSH public key/);
    assert.match(checkSshPublicKey('ssh-rsa') ?? '', /incomplete/);
    assert.match(checkSshPublicKey('ssh-rsa not*base64') ?? '', /incomplete/);
  });
});
