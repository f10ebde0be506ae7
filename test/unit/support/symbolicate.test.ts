// The release's sourcemap stays out of the .vsix; `npm run symbolicate` maps a reported stack trace
// back to the sources with it. Proven end to end: a bundle built the way the release is (esbuild,
// minified, external map), run to throw, its trace mapped by the script as a maintainer runs it.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as esbuild from 'esbuild';

const root = resolve(__dirname, '../../../..');

describe('npm run symbolicate', () => {
  it('maps the frames of a minified release bundle back to the TypeScript lines', async function () {
    this.timeout(20_000);
    const dir = mkdtempSync(join(tmpdir(), 'fal-symbolicate-'));
    try {
      mkdirSync(join(dir, 'src'));
      writeFileSync(
        join(dir, 'src', 'extension.ts'),
        [
          'export function activate(): void {',
          '  deleteIt(42);',
          '}',
          '',
          'function deleteIt(n: number): void {',
          "  if (n > 1) throw new Error('fal answered 500');",
          '}',
          'activate();',
          '',
        ].join('\n'),
      );
      await esbuild.build({
        entryPoints: [join(dir, 'src', 'extension.ts')],
        outfile: join(dir, 'dist', 'extension.js'),
        bundle: true,
        minify: true,
        platform: 'node',
        format: 'cjs',
        sourcemap: 'external',
        sourcesContent: false,
        logLevel: 'silent',
      });
      const run = spawnSync(process.execPath, [join(dir, 'dist', 'extension.js')], { encoding: 'utf8' });
      assert.match(run.stderr, /extension\.js:1:\d+/, 'the trace points into the minified bundle');
      const mapped = execFileSync(
        process.execPath,
        [join(root, 'test/support/symbolicate.mjs'), join(dir, 'dist', 'extension.js.map')],
        { input: run.stderr, encoding: 'utf8' },
      );
      assert.match(mapped, /src\/extension\.ts:6:\d+/, mapped);
      assert.match(mapped, /src\/extension\.ts:2:\d+/, mapped);
      assert.match(mapped, /Error: fal answered 500/, 'the rest of the report is kept');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
