// Builds the extension bundle (dist/extension.js, with dist/features.js, dist/undici.js, dist/ssh2.js and
// dist/tar-stream.js loaded on demand),
// the vscode:uninstall hook (dist/uninstall.js) and the tests (out/**).
//   node esbuild.mjs               development build (sourcemaps, not minified)
//   node esbuild.mjs --production  release bundle: minified; its sourcemap beside it, kept out of the .vsix
//   node esbuild.mjs --watch       rebuild on change
import * as esbuild from 'esbuild';
import { readdirSync, realpathSync, statSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

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

// Activation evaluates dist/extension.js alone: the wiring, the Instances view and what its first paint
// needs (src/extension.ts). Everything else — the API client, the commands' code, the GPU, cost, spend,
// report, jobs, setup, sync and ports machinery — is dist/features.js (src/features.ts), required on
// first use. The two are CommonJS (esbuild's code splitting needs ESM), and share without duplicating:
// every module dist/extension.js holds is left out of dist/features.js, whose imports of it read it
// from the table of module namespaces that dist/extension.js hands over when it requires the file
// (the file is a function of that table: FEATURES_WRAPPER). One copy of each module, so one
// @vscode/l10n configuration, one class behind every instanceof, one copy of every module's state.
const FEATURES_SHARED = 'fal-shared-modules';
const FEATURES_WRAPPER = {
  banner: { js: 'module.exports=function(__falShared){var module={exports:{}},exports=module.exports;' },
  footer: { js: 'return module.exports};' },
};
const sourceKey = (path) => relative(resolve('.'), realpathSync(path)).split('\\').join('/');

// Our own modules are shared; of the libraries only @vscode/l10n, for its one configuration (the
// display language's bundle). Another library that both use (zod) is in each: sharing its modules would
// keep every part of them in dist/extension.js — esbuild no longer shakes out what activation does not use.
const sharable = (key) => key.startsWith('src/') || key.includes('node_modules/@vscode/l10n/');

/** dist/extension.js's `fal-shared-modules`: the namespace of every module dist/features.js reads from it. */
const sharedTable = (shared) => ({
  name: 'shared-table',
  setup(build) {
    build.onResolve({ filter: new RegExp(`^${FEATURES_SHARED}$`) }, () => ({
      path: FEATURES_SHARED,
      namespace: 'fal',
    }));
    build.onLoad({ filter: /.*/, namespace: 'fal' }, () => {
      const keys = [...shared.keys()].sort();
      return {
        contents: `${keys.map((k, i) => `import * as m${i} from ${JSON.stringify(shared.get(k))};`).join('\n')}
export default {${keys.map((k, i) => `${JSON.stringify(k)}: m${i}`).join(', ')}};`,
        resolveDir: '.',
        loader: 'js',
      };
    });
    build.onResolve({ filter: /^\.\/features\.js$/ }, (args) => ({ path: args.path, external: true }));
  },
});

/** In dist/features.js, a module dist/extension.js holds is read from the table it hands over. */
const sharedFromExtension = (inMain, used) => ({
  name: 'shared-from-extension',
  setup(build) {
    build.onResolve({ filter: /.*/ }, async (args) => {
      if (args.pluginData?.sharedCheck || args.kind === 'entry-point') return undefined;
      const found = await build.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        importer: args.importer,
        pluginData: { sharedCheck: true },
      });
      if (found.errors.length || found.external || !found.path) return undefined;
      const key = sourceKey(found.path);
      if (!inMain.has(key)) return undefined;
      used.set(key, found.path);
      return { path: key, namespace: 'fal-shared' };
    });
    build.onLoad({ filter: /.*/, namespace: 'fal-shared' }, (args) => ({
      contents: `module.exports = __falShared[${JSON.stringify(args.path)}];`,
      loader: 'js',
    }));
  },
});

const extension = (shared) => ({
  ...nodeBundle,
  entryPoints: ['src/extension.ts'],
  outfile: 'dist/extension.js',
  external: ['vscode'],
  plugins: [requiredOnDemand, sharedTable(shared)],
  // Release: the map is written (dist/extension.js.map) but not linked and not packaged. It would be a
  // quarter of the .vsix, and VS Code does not apply it to the stack traces users report; maintainers
  // map a reported trace with the map of that release (`npm run symbolicate`).
  sourcemap: production ? 'external' : true,
  sourcesContent: !production,
  metafile: true,
});

const features = (inMain, used) => ({
  ...nodeBundle,
  ...FEATURES_WRAPPER,
  entryPoints: ['src/features.ts'],
  outfile: 'dist/features.js',
  external: ['vscode'],
  plugins: [requiredOnDemand, sharedFromExtension(inMain, used)],
  sourcemap: production ? 'external' : true,
  sourcesContent: !production,
  metafile: true,
});

/**
 * The two bundles in three steps: dist/extension.js alone says which modules it holds; dist/features.js
 * is built reading those from it, which says which of them it uses; dist/extension.js is built again
 * with the table of exactly those (they are already in it: the table adds no module).
 */
async function buildExtensionAndFeatures() {
  // What the bundle holds code of: a module it reaches only for a part that esbuild shook out (a
  // re-exporting index.ts, say) is not in it, and dist/features.js takes its own copy of that (no state: none of it runs here).
  const inputsOf = (result) =>
    new Set(
      Object.entries(Object.values(result.metafile.outputs).find((o) => o.entryPoint).inputs)
        .filter(([p, { bytesInOutput }]) => bytesInOutput > 0 && !p.includes(':'))
        .map(([p]) => sourceKey(p))
        .filter(sharable),
    );
  const alone = await esbuild.build(extension(new Map()));
  const inMain = inputsOf(alone);
  const used = new Map();
  await esbuild.build(features(inMain, used));
  const withTable = await esbuild.build(extension(used));
  const added = [...inputsOf(withTable)].filter((p) => !inMain.has(p));
  if (added.length)
    throw new Error(
      `the shared table pulled modules into dist/extension.js (import what it needs from smaller files): ${added.join(', ')}`,
    );
}

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
    [undici, ssh2, tarStream, uninstall, tests].map((options) => esbuild.context(options)),
  );
  await Promise.all(contexts.map((c) => c.watch()));
  // The two extension bundles are built together (which modules they share decides both): again on every change in src/.
  let building = buildExtensionAndFeatures();
  const { watch: watchFiles } = await import('node:fs');
  watchFiles('src', { recursive: true }, () => {
    building = building.catch(() => undefined).then(buildExtensionAndFeatures);
  });
  console.log('esbuild: watching src/ and test/');
} else {
  // Each build clears only its own output: a release build must not delete the compiled tests.
  rmSync('dist', { recursive: true, force: true });
  if (!production) rmSync('out', { recursive: true, force: true });
  await Promise.all([
    buildExtensionAndFeatures(),
    ...[undici, ssh2, tarStream, uninstall, ...(production ? [] : [tests])].map((options) => esbuild.build(options)),
  ]);
  const kib = (file) => `${file} ${(statSync(file).size / 1024).toFixed(1)} KiB`;
  console.log(
    `esbuild: ${['dist/extension.js', 'dist/features.js', 'dist/undici.js', 'dist/ssh2.js', 'dist/tar-stream.js', 'dist/uninstall.js'].map(kib).join(' + ')}${production ? ' (production)' : ''}`,
  );
}
