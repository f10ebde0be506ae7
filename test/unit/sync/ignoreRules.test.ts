// The upload leaves out exactly what git leaves out: for generated .gitignore files (the root's and
// a nested one, negations included) the files scanWorkspace keeps are the files
// `git ls-files --others --exclude-standard` lists in the same tree. fal.sync.exclude is applied
// after them, so nothing re-includes what the user excluded.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { scanWorkspace } from '../../../src/sync/localTree';

const FILES = [
  'top.txt',
  'keep.log',
  'x.log',
  'build/o.txt',
  'sub/inner.log',
  'sub/a.txt',
  'sub/deep/z.txt',
  'd1',
  'd2',
  'a/b/c.txt',
  'a/x.txt',
];
const LINES = [
  '*.log',
  '!keep.log',
  'build/',
  'sub/',
  '/top.txt',
  'sub/*.txt',
  '**/deep',
  '!sub/inner.log',
  'd*',
  '!d1',
  '# c',
  '',
  'a/b/',
  '*.txt',
  '!*.txt',
  'deep/',
  '!a.txt',
];

function tree(rootIgnore: string[], subIgnore: string[]): string {
  const root = mkdtempSync(join(tmpdir(), 'fal-ignore-'));
  for (const f of FILES) {
    mkdirSync(dirname(join(root, f)), { recursive: true });
    writeFileSync(join(root, f), f);
  }
  writeFileSync(join(root, '.gitignore'), rootIgnore.join('\n'));
  writeFileSync(join(root, 'sub/.gitignore'), subIgnore.join('\n'));
  return root;
}

/** Without the user's global excludes, which git would apply and we do not. */
const GIT_ENV = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };

const gitKeeps = (root: string) => {
  execFileSync('git', ['init', '-q'], { cwd: root, env: GIT_ENV });
  const listed = execFileSync('git', ['ls-files', '-z', '--others', '--exclude-standard'], {
    cwd: root,
    encoding: 'utf8',
  });
  return listed.split('\0').filter(Boolean).sort();
};

describe('sync: ignore rules', () => {
  it('keeps exactly the files git keeps, nested .gitignore and negation included', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(...LINES), { maxLength: 5 }),
        fc.array(fc.constantFrom(...LINES), { maxLength: 4 }),
        async (rootLines, subLines) => {
          const root = tree(rootLines, subLines);
          try {
            const scanned = (await scanWorkspace(root)).files.map((f) => f.path).sort();
            assert.deepEqual(
              scanned,
              gitKeeps(root),
              `root: ${JSON.stringify(rootLines)} sub: ${JSON.stringify(subLines)}`,
            );
          } finally {
            rmSync(root, { recursive: true, force: true });
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('fal.sync.exclude wins over a .gitignore negation', async () => {
    const root = tree(['*.log', '!keep.log'], []);
    try {
      const scanned = (await scanWorkspace(root, { exclude: ['*.log', 'a/'] })).files.map((f) => f.path).sort();
      assert.ok(!scanned.includes('keep.log'));
      assert.ok(!scanned.some((p) => p.startsWith('a/')));
      assert.ok(scanned.includes('sub/a.txt'));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
