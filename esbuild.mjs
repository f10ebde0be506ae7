// Builds the extension bundle (dist/extension.js, with dist/undici.js, dist/ssh2.js and dist/tar-stream.js
// loaded on demand),
// the vscode:uninstall hook (dist/uninstall.js) and the tests (out/**).
//   node esbuild.mjs               development build (sourcemaps, not minified)
//   node esbuild.mjs --production  release bundle: minified; its sourcemap beside it, kept out of the .vsix
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

// Heavy dependencies are built into their own files and required on first use, so activation
// neither compiles nor runs them:
// - undici is most of the extension's code and is needed only once a request is made
//   (dist/undici.js, loaded by src/api/http.ts on the first request);
// - ssh2 is needed only once the GPU view samples a machine (dist/ssh2.js, loaded by
//   src/connections/sshTransport.ts on the first connection);
// - tar-stream is needed only once a workspace goes up or results come back (dist/tar-stream.js,
//   loaded by src/sync/tarStream.ts on the first transfer).
const ON_DEMAND = ['undici', 'ssh2', 'tar-stream'];

const requiredOnDemand = {
  name: 'required-on-demand',
  setup(build) {
    build.onResolve({ filter: new RegExp(`^(${ON_DEMAND.join('|')})$`) }, (args) => ({
      path: `./${args.path}.js`,
      external: true,
    }));
  },
};

// ssh2's optional native parts (cpu-features, and lib/protocol/crypto/build/Release/sshcrypto.node)
// are left out: ssh2 requires them inside try/catch and falls back to pure JS (node's crypto and
// its bundled poly1305 wasm), so dist/ssh2.js behaves the same on every OS and Node ABI.
const nativeLeftOut = {
  name: 'native-left-out',
  setup(build) {
    build.onResolve({ filter: /\.node$|^cpu-features$/ }, (args) => ({ path: args.path, external: true }));
  },
};

/** What every file in dist/ is: one CommonJS bundle for the extension host's node. */
const nodeBundle = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minify: production,
  logLevel: 'warning',
};

const onDemandBundle = (name) => ({
  ...nodeBundle,
  stdin: { contents: `module.exports = require('${name}');`, resolveDir: '.', loader: 'js' },
  outfile: `dist/${name}.js`,
  plugins: [nativeLeftOut],
});
const [undici, ssh2, tarStream] = ON_DEMAND.map(onDemandBundle);

const extension = {
  ...nodeBundle,
  entryPoints: ['src/extension.ts'],
  outfile: 'dist/extension.js',
  external: ['vscode'],
  plugins: [requiredOnDemand],
  // Release: the map is written (dist/extension.js.map) but not linked and not packaged. It would be a
  // quarter of the .vsix, and VS Code does not apply it to the stack traces users report; maintainers
  // map a reported trace with the map of that release (`npm run symbolicate`).
  sourcemap: production ? 'external' : true,
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
  const contexts = await Promise.all(
    [extension, undici, ssh2, tarStream, uninstall, tests].map((options) => esbuild.context(options)),
  );
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('esbuild: watching src/ and test/');
} else {
  // Each build clears only its own output: a release build must not delete the compiled tests.
  rmSync('dist', { recursive: true, force: true });
  if (!production) rmSync('out', { recursive: true, force: true });
  await Promise.all(
    [extension, undici, ssh2, tarStream, uninstall, ...(production ? [] : [tests])].map((options) =>
      esbuild.build(options),
    ),
  );
  const kib = (file) => `${file} ${(statSync(file).size / 1024).toFixed(1)} KiB`;
  console.log(
    `esbuild: ${['dist/extension.js', 'dist/undici.js', 'dist/ssh2.js', 'dist/tar-stream.js', 'dist/uninstall.js'].map(kib).join(' + ')}${production ? ' (production)' : ''}`,
  );
}
