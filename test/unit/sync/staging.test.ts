// What an upload has in flight stays out of everything else: its staging folders (one per upload
// session, `.fal-sync-partial.XXXXXX` in the machine's copy) are never uploaded from a local folder
// that happens to hold one, never taken for results, and a large file that changes while it is being
// sent fails naming the file rather than with tar-stream's bare "Size mismatch".
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { scanWorkspace } from '../../../src/sync/localTree';
import type { RemoteEntry } from '../../../src/sync/manifest';
import { STAGING } from '../../../src/sync/remoteShell';
import { selectResults } from '../../../src/sync/resultSelection';
import { SyncError } from '../../../src/sync/syncError';
import { packFiles } from '../../../src/sync/tarFeed';
import { tarStream } from '../../../src/sync/tarStream';

const file = (path: string): RemoteEntry => ({ path, kind: 'file', size: 1, mtimeSeconds: 1, utf8: true });
// mktemp's suffix: six of [A-Za-z0-9].
const suffixArb = fc.stringMatching(/^[A-Za-z0-9]{6}$/);

describe('sync: staging folders and files that change in flight', () => {
  let root: string;
  beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'fal-staging-'))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('a staging folder is never a result, whatever the globs; its neighbours are', () => {
    fc.assert(
      fc.property(
        suffixArb,
        fc.constantFrom('**', '*', 'outputs/**', '**/*.pt', '.fal-sync-partial*/**'),
        (suffix, glob) => {
          const staged = `${STAGING}.${suffix}/outputs/model.pt`;
          const { wanted, refused } = selectResults(
            [file(staged), file(`${STAGING}/old.pt`), file('outputs/model.pt')],
            [glob],
            { windows: false },
          );
          assert.ok(!wanted.some((e) => e.path.startsWith(STAGING)), glob);
          assert.ok(!refused.some((e) => e.path.startsWith(STAGING)), glob);
          if (glob !== '.fal-sync-partial*/**')
            assert.ok(
              wanted.some((e) => e.path === 'outputs/model.pt'),
              glob,
            );
        },
      ),
      { numRuns: 50 },
    );
  });

  it('a local folder named like a staging folder is not uploaded; a file merely containing the name is', async () => {
    mkdirSync(join(root, `${STAGING}.Ab12Cd`));
    writeFileSync(join(root, `${STAGING}.Ab12Cd`, 'x.bin'), 'x');
    mkdirSync(join(root, STAGING));
    writeFileSync(join(root, STAGING, 'y.bin'), 'y');
    mkdirSync(join(root, 'src'));
    writeFileSync(join(root, 'src', `${STAGING}.txt`), 'kept: not at the top');
    writeFileSync(join(root, 'main.py'), 'print(1)');
    const tree = await scanWorkspace(root);
    assert.deepEqual(tree.files.map((f) => f.path).sort(), ['main.py', `src/${STAGING}.txt`]);
  });

  for (const [what, change] of [
    ['shrank', (path: string) => truncateSync(path, 70_000)],
    ['went away', (path: string) => rmSync(path)],
  ] as const) {
    it(`a large file that ${what} after the scan: the packing fails naming it, to be uploaded again`, async () => {
      const path = join(root, 'data', 'big file.bin');
      mkdirSync(join(root, 'data'));
      writeFileSync(path, Buffer.alloc(200_000, 7));
      change(path);
      const tar = tarStream().pack();
      tar.on('error', () => undefined);
      tar.resume(); // nobody reads the stream here: let it flow
      const packing = packFiles(
        tar,
        root,
        [{ path: 'data/big file.bin', size: 200_000, mode: 0o644, mtimeSeconds: 1 }],
        () => undefined,
        () => undefined,
      );
      await assert.rejects(
        packing,
        (e: Error) =>
          e instanceof SyncError &&
          e.kind === 'localFile' &&
          e.message === 'data/big file.bin changed while it was being sent: upload again',
      );
    });
  }
});
