// ESLint guards the architecture's promises (README "Development"); `npm test` runs it before the
// test layers and `npm run lint` runs it alone.
//
// 1. Layers: the pure folders import nothing from `vscode` (nor from the folders that do), so they
//    run and are unit-tested in plain node.
// 2. Promises: none is left floating, none is passed where a void callback is expected — an
//    unhandled rejection in the extension host is an error nobody sees.
// 3. One poller: only the files in GLOBAL_TIMER_FILES may call the global setTimeout/setInterval,
//    and only src/base/timers.ts reads Date.now().
//    Everything else that needs time takes a `Timers` (src/base/timers.ts) so tests drive it in
//    fake time, and nothing but the refresh scheduler polls fal.
// 4. Small files: no file in src/ is over 250 lines (a file that grows past it holds two things).
import tseslint from 'typescript-eslint';

/** Folders with no `vscode` import: unit-tested in plain node. */
const PURE_FOLDERS = ['src/base', 'src/api', 'src/ssh', 'src/core', 'src/gpu', 'src/cost'];

/**
 * The only files that may call the global timers, each with the reason. A policy that acts over
 * time (the refresh scheduler, the GPU sampler, the cost guard) does NOT belong here: it takes
 * `Timers` and is given `realTimers`. A file belongs here only for a deadline or a pause inside
 * one operation (never polling), and says so.
 */
const GLOBAL_TIMER_FILES = {
  'src/base/timers.ts': 'realTimers: the one production implementation of Timers',
  'src/ssh/reachability.ts': 'the deadlines and pauses of one TCP/banner probe',
  'src/ssh/atomicWrite.ts': 'the pause before re-reading a file that changed under one write',
  'src/ssh/fileLock.ts': 'the pause between attempts to take one lock file',
  'src/remote/sshProbe.ts': 'the deadline of one `ssh` host-key probe',
};

/** The one reader of the wall clock. */
const CLOCK_FILE = 'src/base/timers.ts';

const TIMER_MESSAGE =
  'Take a `Timers` (src/base/timers.ts) instead, so tests run it in fake time; only the refresh scheduler polls fal. ' +
  'A deadline inside one operation may be allowed in GLOBAL_TIMER_FILES (eslint.config.mjs), with its reason.';
const TIMER_GLOBALS = ['setTimeout', 'setInterval', 'setImmediate'].map((name) => ({ name, message: TIMER_MESSAGE }));
const TIMER_PROPERTIES = ['globalThis', 'global', 'window'].flatMap((object) =>
  ['setTimeout', 'setInterval', 'setImmediate'].map((property) => ({ object, property, message: TIMER_MESSAGE })),
);
const CLOCK_MESSAGE = 'Read the time from the `Timers` you were given, else `now()` (src/base/timers.ts), so tests can run it in fake time.';
const CLOCK_PROPERTIES = [{ object: 'Date', property: 'now', message: CLOCK_MESSAGE }];
const TIMER_MODULES = ['timers', 'timers/promises', 'node:timers', 'node:timers/promises'].map((name) => ({ name, message: TIMER_MESSAGE }));

const LAYER_MESSAGE = 'src/base, src/api, src/ssh, src/core, src/gpu and src/cost import nothing from `vscode` (README "Development"): pass what you need in.';
const VSCODE_MODULE = { name: 'vscode', message: LAYER_MESSAGE };
/** The folders that import `vscode`, reached from a pure folder by a relative import. */
const VSCODE_SIDE = ['commands', 'views', 'instances', 'auth', 'remote', 'wizard', 'settings', 'extension'].map((folder) => `**/${folder}`);
const VSCODE_SIDE_PATTERNS = [{ group: [...VSCODE_SIDE, ...VSCODE_SIDE.map((f) => `${f}/**`)], message: LAYER_MESSAGE }];

const isPure = (file) => PURE_FOLDERS.some((folder) => file.startsWith(`${folder}/`));
const restrictedImports = ({ pure, timers }) => {
  const paths = [...(pure ? [VSCODE_MODULE] : []), ...(timers ? TIMER_MODULES : [])];
  const patterns = pure ? VSCODE_SIDE_PATTERNS : [];
  return paths.length || patterns.length ? ['error', { paths, patterns }] : 'off';
};

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.vscode-test/**', 'test-results/**', '**/*.mjs', '**/*.js'] },
  {
    files: ['src/**/*.ts', 'test/**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-globals': ['error', ...TIMER_GLOBALS],
      'no-restricted-properties': ['error', ...TIMER_PROPERTIES, ...CLOCK_PROPERTIES],
      'no-restricted-imports': restrictedImports({ pure: false, timers: true }),
      'max-lines': ['error', { max: 250, skipBlankLines: false, skipComments: false }],
    },
  },
  {
    files: PURE_FOLDERS.map((folder) => `${folder}/**/*.ts`),
    rules: { 'no-restricted-imports': restrictedImports({ pure: true, timers: true }) },
  },
  ...Object.keys(GLOBAL_TIMER_FILES).map((file) => ({
    files: [file],
    rules: {
      'no-restricted-globals': 'off',
      'no-restricted-properties': file === CLOCK_FILE ? 'off' : ['error', ...CLOCK_PROPERTIES],
      'no-restricted-imports': restrictedImports({ pure: isPure(file), timers: false }),
    },
  })),
);
