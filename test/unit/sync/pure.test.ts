// The pure pieces of sync, with fast-check: the manifest parser (round trip, and nothing but a
// ManifestError for garbage), the upload plan (a second plan after sending is empty), the safety of
// names from the machine (no name that passes resolves outside the folder, POSIX or Windows), and
// the secret rules.
import assert from 'node:assert/strict';
import { posix, win32 } from 'node:path';
import fc from 'fast-check';
import { ManifestEnd, ManifestError, parseManifest, type RemoteEntry } from '../../../src/sync/manifest';
import { unsafeNameReason } from '../../../src/sync/pathSafety';
import { decideResult, planUpload } from '../../../src/sync/plan';
import type { LocalFile } from '../../../src/sync/localTree';
import { needsHeader, secretReason } from '../../../src/sync/secrets';
import { remoteFailure } from '../../../src/sync/syncError';

const KIND_LETTER = { file: 'f', directory: 'd', symlink: 'l', other: 'p' } as const;
const manifestBytes = (entries: readonly RemoteEntry[]) =>
  Buffer.concat(
    entries.map((e) =>
      Buffer.concat([
        Buffer.from(e.path, 'utf8'),
        Buffer.from(`\0${e.size}\0${e.mtimeSeconds}.25\0${KIND_LETTER[e.kind]}\0`),
      ]),
    ),
  );
const nameArb = fc.string({
  minLength: 1,
  maxLength: 12,
  unit: fc.constantFrom('a', 'b', '/', '.', ' ', '\n', 'é', "'", '"', '-'),
});

const entryArb = fc.record({
  path: nameArb,
  kind: fc.constantFrom('file', 'directory', 'symlink', 'other') as fc.Arbitrary<RemoteEntry['kind']>,
  size: fc.nat(),
  mtimeSeconds: fc.nat({ max: 4_000_000_000 }),
  utf8: fc.constant(true),
});

describe('sync, pure', () => {
  it('the manifest parser reads back what find would print, newlines and all', () => {
    fc.assert(
      fc.property(fc.array(entryArb, { maxLength: 20 }), (entries) => {
        assert.deepEqual(
          parseManifest(manifestBytes(entries)),
          entries.map((e) => ({ ...e })),
        );
      }),
    );
  });

  it('the manifest parser throws only ManifestError on garbage, and keeps non-UTF-8 names apart', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 60 }), (bytes) => {
        try {
          parseManifest(bytes);
        } catch (e) {
          assert.ok(e instanceof ManifestError, String(e));
        }
      }),
    );
    assert.throws(() => parseManifest(Buffer.from('a\x0012\x001.0\x00')), ManifestError);
    assert.throws(() => parseManifest(Buffer.from('a\x00-1\x001.0\x00f\x00')), ManifestError);
    const [odd] = parseManifest(Buffer.from([0x62, 0xff, 0, 0x31, 0, 0x32, 0, 0x66, 0]));
    assert.deepEqual([odd?.path, odd?.utf8], ['b\uFFFD', false]);
  });

  it('the end of the manifest is found in a longer stdout, however it is cut into chunks', () => {
    const cuts = fc.array(fc.nat({ max: 400 }), { maxLength: 6 });
    fc.assert(
      fc.property(fc.array(entryArb, { maxLength: 12 }), fc.nat({ max: 255 }), cuts, (entries, status, at) => {
        const listing = manifestBytes(entries);
        const stdout = Buffer.concat([listing, Buffer.from(`\0${status}\0`), Buffer.from('after\0\0')]);
        const points = [...new Set([0, ...at.map((n) => n % stdout.length), stdout.length])].sort((a, b) => a - b);
        const end = new ManifestEnd();
        let found: ReturnType<ManifestEnd['push']>;
        for (let i = 1; i < points.length && !found; i++) found = end.push(stdout.subarray(points[i - 1], points[i]));
        assert.deepEqual(found, { manifest: listing, status });
      }),
    );
    assert.throws(() => new ManifestEnd().push(Buffer.from('a\x001\x002\x00f\x00\x00x\x00')), ManifestError);
  });

  it('after sending what the plan says, the next plan sends nothing', () => {
    const file = fc.record({
      path: fc.constantFrom('a', 'b', 'd/a', 'd/e/f', 'x y'),
      size: fc.nat({ max: 5 }),
      mtimeSeconds: fc.nat({ max: 3 }),
      mode: fc.constant(0o644),
    });
    const remoteArb = fc.array(
      fc.record({
        path: fc.constantFrom('a', 'b', 'd', 'd/a', 'd/e', 'd/e/f', 'x y'),
        kind: fc.constantFrom('file', 'directory', 'symlink') as fc.Arbitrary<RemoteEntry['kind']>,
        size: fc.nat({ max: 5 }),
        mtimeSeconds: fc.nat({ max: 3 }),
        utf8: fc.constant(true),
      }),
    );
    fc.assert(
      fc.property(fc.uniqueArray(file, { selector: (f) => f.path }), remoteArb, (local: LocalFile[], remote) => {
        const plan = planUpload(local, remote);
        assert.equal(plan.send.length + plan.upToDate + plan.blocked.length, local.length);
        const sent = new Set(plan.send.map((f) => f.path));
        const after: RemoteEntry[] = [
          ...remote.filter((r) => !sent.has(r.path)),
          ...plan.send.map((f) => ({ ...f, kind: 'file' as const, utf8: true })),
        ];
        const again = planUpload(local, after);
        assert.deepEqual([again.send, again.upToDate], [[], plan.send.length + plan.upToDate]);
      }),
    );
  });

  it('a result replaces a local file only when it is missing, older, or the caller said so', () => {
    const remote: RemoteEntry = { path: 'r', kind: 'file', size: 2, mtimeSeconds: 100, utf8: true };
    assert.equal(decideResult(remote, undefined, false), 'fetch');
    assert.equal(decideResult(remote, { kind: 'file', size: 2, mtimeSeconds: 100 }, false), 'upToDate');
    assert.equal(decideResult(remote, { kind: 'file', size: 3, mtimeSeconds: 50 }, false), 'fetch');
    assert.equal(decideResult(remote, { kind: 'file', size: 3, mtimeSeconds: 150 }, false), 'conflict');
    assert.equal(decideResult(remote, { kind: 'file', size: 3, mtimeSeconds: 150 }, true), 'fetch');
    assert.equal(decideResult(remote, { kind: 'other', size: 0, mtimeSeconds: 0 }, true), 'notAFile');
  });

  it('no name that passes the safety check resolves outside the folder, on POSIX or on Windows', () => {
    // Pieces a hostile name is made of, '/' among them, joined in any order.
    const piece = fc.constantFrom('/', 'a', '.', '..', ' ', 'C:', 'con', 'b.', '\\', 'x:y', '\u0001', '%2e');
    const nameOf = fc.array(piece, { minLength: 1, maxLength: 8 }).map((pieces) => pieces.join(''));
    fc.assert(
      fc.property(nameOf, fc.boolean(), (name, windows) => {
        if (unsafeNameReason(name, { windows })) return;
        assert.ok(posix.resolve('/root/folder', name).startsWith('/root/folder/'), name);
        if (windows) assert.ok(win32.resolve('C:\\root\\folder', name).startsWith('C:\\root\\folder\\'), name);
      }),
      { numRuns: 2000 },
    );
    for (const bad of ['../x', 'a/../../x', '/etc/passwd', 'a//b', './a', 'a/.'])
      assert.ok(unsafeNameReason(bad, { windows: false }), bad);
    for (const bad of ['C:x', 'a\\..\\..\\x', 'CON', 'nul.txt', 'a:b', 'trailing.', 'q?'])
      assert.ok(unsafeNameReason(bad, { windows: true }), bad);
    for (const good of ['a:b', 'CON', 'x\ny', 'run 1/metrics.json'])
      assert.equal(unsafeNameReason(good, { windows: false }), undefined, good);
  });

  it('secrets: keys by name, .env but not its templates, .pem only with a private-key header', () => {
    const header = (text: string) => Buffer.from(text);
    assert.ok(secretReason('deploy/id_ed25519'));
    assert.equal(secretReason('deploy/id_ed25519.pub'), undefined);
    assert.ok(secretReason('.env'));
    assert.ok(secretReason('app/.env.production'));
    assert.equal(secretReason('.env.example'), undefined);
    assert.ok(secretReason('store.p12'));
    assert.ok(needsHeader('tls/key.pem'));
    assert.ok(secretReason('tls/key.pem', header('-----BEGIN PRIVATE KEY-----\n')));
    assert.ok(secretReason('tls/key.pem', header('junk\n-----BEGIN OPENSSH PRIVATE KEY-----\n')));
    assert.ok(secretReason('tls/key.key', header('-----BEGIN EC PRIVATE KEY-----\n')));
    assert.equal(secretReason('tls/ca.pem', header('-----BEGIN CERTIFICATE-----\n')), undefined);
    assert.equal(secretReason('src/environment.ts'), undefined);
  });

  it("a full disk reads as a full disk in each way GNU tar says it (misc.c's write_error and write_error_details)", () => {
    const exiting = 'tar: Exiting with failure status due to previous errors';
    for (const line of [
      'tar: big.bin: Cannot write: No space left on device',
      'tar: big.bin: Wrote only 3584 of 10240 bytes',
    ]) {
      const e = remoteFailure('Unpacking the upload', 2, `${line}\n${exiting}\n`);
      assert.equal(e.message, `Unpacking the upload failed: the machine's disk is full (${line})`);
    }
    const other = remoteFailure('Unpacking the upload', 2, `tar: x: Cannot open: Is a directory\n${exiting}\n`);
    assert.equal(
      other.message,
      'Unpacking the upload failed on the machine (exit 2): tar: x: Cannot open: Is a directory',
    );
  });
});
