// Builds the extension bundle (dist/extension.js) and the tests (out/**).
//   node esbuild.mjs               development build (sourcemaps, not minified)
//   node esbuild.mjs --production  release bundle: minified, with a linked sourcemap
//   node esbuild.mjs --watch       rebuild on change
import * as esbuild from 'esbuild';
import { readdirSync, statSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Every .ts file below dir (tests are transpiled file by file, not bundled). */
function tsFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

// undici is most of the extension's code and is needed only once a request is made, so it is
// built into its own file, dist/undici.js, which src/api/http.ts loads on the first request:
// activation then neither compiles nor runs it.
const undiciOnDemand = {
  name: 'undici-on-demand',
  setup(build) {
    build.onResolve({ filter: /^undici$/ }, () => ({ path: './undici.js', external: true }));
  },
};

/** What every file in dist/ is: one CommonJS bundle for the extension host's node. */
const nodeBundle = { bundle: true, format: 'cjs', platform: 'node', target: 'node20', minify: production, logLevel: 'warning' };

const undici = {
  ...nodeBundle,
  stdin: { contents: "module.exports = require('undici');", resolveDir: '.', loader: 'js' },
  outfile: 'dist/undici.js',
};

const extension = {
  ...nodeBundle,
  entryPoints: ['src/extension.ts'],
  outfile: 'dist/extension.js',
  external: ['vscode'],
  plugins: [undiciOnDemand],
  sourcemap: production ? 'linked' : true,
  sourcesContent: !production,
  metafile: true,
};

// The vscode:uninstall hook: plain node, no vscode API, its own small file (src/uninstall.ts).
const uninstall = { ...nodeBundle, entryPoints: ['src/uninstall.ts'], outfile: 'dist/uninstall.js' };

// Tests import src/ directly, so src/ and test/ are transpiled together into out/
// keeping the folder layout (out/src/..., out/test/...).
const tests = {
  entryPoints: [...tsFiles('src'), ...tsFiles('test')],
  outdir: 'out',
  outbase: '.',
  bundle: false,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
};

if (watch) {
  const contexts = await Promise.all([esbuild.context(extension), esbuild.context(undici), esbuild.context(uninstall), esbuild.context(tests)]);
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('esbuild: watching src/ and test/');
} else {
  // Each build clears only its own output: a release build must not delete the compiled tests.
  rmSync('dist', { recursive: true, force: true });
  if (!production) rmSync('out', { recursive: true, force: true });
  const [result] = await Promise.all([esbuild.build(extension), esbuild.build(undici), esbuild.build(uninstall), production ? null : esbuild.build(tests)]);
  const bytes = result.metafile.outputs['dist/extension.js'].bytes;
  const kib = (file) => `${(statSync(file).size / 1024).toFixed(1)} KiB`;
  console.log(
    `esbuild: dist/extension.js ${(bytes / 1024).toFixed(1)} KiB + dist/undici.js ${kib('dist/undici.js')} + dist/uninstall.js ${kib('dist/uninstall.js')}${production ? ' (production)' : ''}`,
  );
}
