// ESLint guards the architecture's promises (README "Development"); `npm test` runs it before the
// test layers and `npm run lint` runs it alone.
//
// 1. Floors: src/ is built in floors, lowest first (FLOORS below, README "Development"):
//      base → ssh → api → core, connections → gpu, cost, setup, sync, jobs → settings, notifications, falCommands, auth → instances → views
//      → remote, wizard → commands → extension, features, uninstall
//    A file imports its own floor and the floors below, never one above, so every arrow between
//    folders points down and no folder waits on one that waits on it (test/unit/lint/importGraph
//    checks the whole graph, file cycles included). The floors up to gpu, cost, setup and sync are pure: they
//    import nothing from `vscode`, so they run and are unit-tested in plain node.
// 2. Promises: none is left floating, none is passed where a void callback is expected — an
//    unhandled rejection in the extension host is an error nobody sees.
// 3. One poller: only the files in GLOBAL_TIMER_FILES may call the global setTimeout/setInterval,
//    and only src/base/timers.ts reads Date.now().
//    Everything else that needs time takes a `Timers` (src/base/timers.ts) so tests drive it in
//    fake time, and nothing but the refresh scheduler polls fal.
// 4. Small files: no file in src/ holds over 250 lines of code (a file that grows past it holds two things).
//    Blank lines and comments do not count: Prettier (npm test checks it) wraps at 120 columns, and a
//    comment that says why should never be what pushes a file over.
// 5. Links only from us: every notification goes through src/notifications.ts, which keeps outside
//    text in a message from making a `[label](command:…)` link (tooltips: test/unit/lint/markupRule.ts).
// 6. One owner of "someone looks": only src/instances/watching.ts follows the view's visibility.
// 7. Ids in one place: context keys are set only by src/views/contextKeys.ts, and our own commands
//    run by their typed id through src/falCommands.ts; global state is read only through the typed
//    keys of src/core/storedState.ts, which extension.ts alone makes from context.globalState.
import tseslint from 'typescript-eslint';

/**
 * The floors of src/, lowest first: a folder (or a top-level file: settings.ts, notifications.ts, falCommands.ts,
 * extension.ts, uninstall.ts) may import its own floor and lower ones. Read by test/unit/lint/importGraph.test.ts.
 */
export const FLOORS = [
  ['base'],
  ['ssh'],
  ['api'],
  ['core', 'connections'],
  ['gpu', 'cost', 'setup', 'sync', 'jobs', 'ports'],
  ['settings', 'notifications', 'falCommands', 'auth'],
  ['instances'],
  ['views'],
  ['remote', 'wizard'],
  ['commands'],
  ['extension', 'features', 'uninstall'],
];
/** The floors with no `vscode` import: unit-tested in plain node. */
const PURE_FLOORS = 5;
const PURE_FOLDERS = FLOORS.slice(0, PURE_FLOORS)
  .flat()
  .map((folder) => `src/${folder}`);

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
  'src/remote/sshProbe.ts': 'the deadline of one host-key check (a key exchange, no login)',
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
const CLOCK_MESSAGE =
  'Read the time from the `Timers` you were given, else `now()` (src/base/timers.ts), so tests can run it in fake time.';
const CLOCK_PROPERTIES = [{ object: 'Date', property: 'now', message: CLOCK_MESSAGE }];
const TIMER_MODULES = ['timers', 'timers/promises', 'node:timers', 'node:timers/promises'].map((name) => ({
  name,
  message: TIMER_MESSAGE,
}));

const LAYER_MESSAGE = `${PURE_FOLDERS.join(', ')} import nothing from \`vscode\` (README "Development"): pass what you need in.`;
const VSCODE_MODULE = { name: 'vscode', message: LAYER_MESSAGE };

const floorOf = (folder) => FLOORS.findIndex((floor) => floor.includes(folder));
const srcFiles = (folder) => [`src/${folder}/**/*.ts`, `src/${folder}.ts`];
const TOP_LEVEL_FILES = ['settings', 'notifications', 'falCommands', 'extension', 'features', 'uninstall'];
/**
 * The folders above `folder`'s floor, as a relative import reaches them: `../views/x` from a
 * folder, `./views/x` from a top-level file, or a path through `src/` (a same-named file inside
 * the folder itself, such as `./cost` imported in core/, is not a folder above).
 */
const higherFloorPatterns = (folder) => {
  const above = FLOORS.slice(floorOf(folder) + 1)
    .flat()
    .join('|');
  const up = TOP_LEVEL_FILES.includes(folder) ? '\\./' : '\\.\\./';
  const order = FLOORS.map((floor) => floor.join(', ')).join(' → ');
  const message = `src/${folder} may import its own floor and lower ones only (${order}; README "Development"). Move what both need down, or pass it in through an interface.`;
  return above ? [{ regex: `^(${up}|.*/src/)(${above})(/|$)`, message }] : [];
};

const isPure = (folder) => floorOf(folder) < PURE_FLOORS;
const folderOf = (file) => file.split('/')[1].replace(/\.ts$/, '');
const restrictedImports = (folder, { timers }) => {
  const paths = [...(isPure(folder) ? [VSCODE_MODULE] : []), ...(timers ? TIMER_MODULES : [])];
  const patterns = higherFloorPatterns(folder);
  return paths.length || patterns.length ? ['error', { paths, patterns }] : 'off';
};

const NOTIFICATION_MESSAGE =
  'Use showInformationMessage/showWarningMessage/showErrorMessage from src/notifications.ts: VS Code makes [label](command:…) in a message a link, and messages carry outside text.';
/** The no-restricted-syntax selectors of src/, each with the one file it does not hold for. */
const RESTRICTED_SYNTAX = [
  {
    owner: 'src/notifications.ts',
    selector:
      "MemberExpression[object.property.name='window'][property.name=/^show(Information|Warning|Error)Message$/]",
    message: NOTIFICATION_MESSAGE,
  },
  {
    owner: 'src/views/contextKeys.ts',
    selector: "CallExpression[callee.property.name='executeCommand'][arguments.0.value='setContext']",
    message:
      'Set a context key with setContextKey from src/views/contextKeys.ts: it names every key package.json tests, with its type.',
  },
  {
    owner: 'src/falCommands.ts',
    selector: "CallExpression[callee.property.name='executeCommand'][arguments.0.value=/^fal\\./]",
    message:
      'Run our own commands with executeFalCommand from src/falCommands.ts: its id is typed (src/core/commandIds.ts).',
  },
  {
    owner: 'src/instances/watching.ts',
    selector: 'MemberExpression[property.name=/^(onDidChangeVisibility|onDidChangeWindowState)$/]',
    message:
      'Follow Watching (src/instances/watching.ts): it alone reads whether the Instances view is visible and the window focused, and every watcher follows its one event.',
  },
  {
    owner: 'src/extension.ts',
    selector: 'MemberExpression[property.name=/^(globalState|workspaceState)$/]',
    message:
      'Read and write global state through StoredState (src/core/storedState.ts), made once in src/extension.ts: every key is typed and checked on read.',
  },
];
const restrictedSyntax = (file) => [
  'error',
  ...RESTRICTED_SYNTAX.filter((r) => r.owner !== file).map(({ selector, message }) => ({ selector, message })),
];

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
      'max-lines': ['error', { max: 250, skipBlankLines: true, skipComments: true }],
      'no-restricted-syntax': restrictedSyntax(),
    },
  },
  ...RESTRICTED_SYNTAX.map(({ owner }) => ({
    files: [owner],
    rules: { 'no-restricted-syntax': restrictedSyntax(owner) },
  })),
  ...FLOORS.flat().map((folder) => ({
    files: srcFiles(folder),
    rules: { 'no-restricted-imports': restrictedImports(folder, { timers: true }) },
  })),
  ...Object.keys(GLOBAL_TIMER_FILES).map((file) => ({
    files: [file],
    rules: {
      'no-restricted-globals': 'off',
      'no-restricted-properties': file === CLOCK_FILE ? 'off' : ['error', ...CLOCK_PROPERTIES],
      'no-restricted-imports': restrictedImports(folderOf(file), { timers: false }),
    },
  })),
);
