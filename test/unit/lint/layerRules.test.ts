// The linter really guards what eslint.config.mjs promises: fed code that breaks a rule, it
// reports that rule. (The type-aware promise rules are exercised by `npm run lint` itself.)
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ESLint } from 'eslint';

const root = resolve(__dirname, '../../../..');

describe('ESLint layer rules (eslint.config.mjs)', function () {
  this.timeout(60_000);
  // Without type information: the rules checked here are syntactic, and this keeps the test fast.
  const eslint = new ESLint({
    cwd: root,
    overrideConfig: { languageOptions: { parserOptions: { projectService: false, project: null } } },
    ruleFilter: ({ ruleId }) => !ruleId.startsWith('@typescript-eslint/'),
  });
  const rulesHit = async (filePath: string, code: string) => {
    const [result] = await eslint.lintText(code, { filePath: resolve(root, filePath) });
    return result!.messages.map((m) => `${m.line}:${m.ruleId ?? m.message}`);
  };

  for (const folder of ['base', 'api', 'ssh', 'core', 'gpu', 'cost', 'setup']) {
    it(`src/${folder} may not import vscode, nor the folders that do`, async () => {
      assert.deepEqual(
        await rulesHit(
          `src/${folder}/x.ts`,
          "import * as vscode from 'vscode';\nimport { y } from '../instances/y';\nimport { z } from '../../src/views/z';\n",
        ),
        ['1:no-restricted-imports', '2:no-restricted-imports', '3:no-restricted-imports'],
      );
    });
  }

  it('each floor may import its own floor and lower ones, never a floor above', async () => {
    const { FLOORS } = (await import(pathToFileURL(resolve(root, 'eslint.config.mjs')).href)) as { FLOORS: string[][] };
    for (const [i, floor] of FLOORS.entries()) {
      for (const folder of floor) {
        const file = ['settings', 'notifications', 'falCommands', 'extension', 'features', 'uninstall'].includes(folder)
          ? `src/${folder}.ts`
          : `src/${folder}/x.ts`;
        const from = file.startsWith(`src/${folder}/`) ? '..' : '.';
        const allowed = FLOORS.slice(0, i + 1)
          .flat()
          .filter((f) => f !== folder);
        const above = FLOORS.slice(i + 1).flat();
        const code = (folders: string[]) =>
          folders.map((f, n) => `import { v${n} } from '${from}/${f}/y';`).join('\n') + '\n';
        assert.deepEqual(await rulesHit(file, code(allowed)), [], `${folder} may import ${allowed.join(', ')}`);
        assert.deepEqual(
          await rulesHit(file, code(above)),
          above.map((_, n) => `${n + 1}:no-restricted-imports`),
          `${folder} may not import ${above.join(', ')}`,
        );
      }
    }
  });

  it('a file named like a folder above, inside the floor itself, is not a floor above', async () => {
    assert.deepEqual(await rulesHit('src/core/x.ts', "import { v } from './cost';\n"), []);
    assert.deepEqual(await rulesHit('src/core/x.ts', "import { v } from '../cost';\n"), ['1:no-restricted-imports']);
  });

  it('no file in src/ holds over 250 lines of code; comments and blank lines do not count', async () => {
    const lines = (n: number) => Array.from({ length: n }, (_, i) => `export const v${i} = ${i};`).join('\n') + '\n';
    assert.deepEqual(await rulesHit('src/views/x.ts', lines(250)), []);
    assert.deepEqual(await rulesHit('src/views/x.ts', lines(251)), ['251:max-lines']);
    const commented = `// why\n\n/** why, at length */\n${lines(250)}`.replace(/;\n/g, ';\n// why\n\n');
    assert.deepEqual(await rulesHit('src/views/x.ts', commented), []);
  });

  it('the vscode side may import vscode', async () => {
    assert.deepEqual(
      await rulesHit('src/views/x.ts', "import * as vscode from 'vscode';\nexport const v = vscode;\n"),
      [],
    );
  });

  it('nothing in src/ calls the global timers, in any spelling', async () => {
    const code = [
      'setTimeout(() => 1, 5);',
      'setInterval(() => 1, 5);',
      'globalThis.setTimeout(() => 1, 5);',
      "import { setTimeout as sleep } from 'node:timers/promises';",
      'clearTimeout(undefined);',
    ].join('\n');
    for (const file of ['src/views/x.ts', 'src/core/x.ts', 'src/gpu/sampler.ts', 'src/cost/guard.ts']) {
      assert.deepEqual(
        await rulesHit(file, code),
        ['1:no-restricted-globals', '2:no-restricted-globals', '3:no-restricted-properties', '4:no-restricted-imports'],
        file,
      );
    }
  });

  it('realTimers (src/base/timers.ts) may, and is still held to the layer rule', async () => {
    assert.deepEqual(
      await rulesHit('src/base/timers.ts', "import * as vscode from 'vscode';\nsetTimeout(() => 1, 5);\n"),
      ['1:no-restricted-imports'],
    );
  });

  it('only src/base/timers.ts reads the wall clock; the deadline files do not either', async () => {
    for (const file of ['src/views/x.ts', 'src/core/x.ts', 'src/ssh/fileLock.ts'])
      assert.deepEqual(await rulesHit(file, 'export const t = Date.now();\n'), ['1:no-restricted-properties'], file);
    assert.deepEqual(await rulesHit('src/base/timers.ts', 'export const t = Date.now();\n'), []);
  });

  it('notifications go through src/notifications.ts, which keeps outside text from making links', async () => {
    const code =
      "import * as vscode from 'vscode';\nvoid vscode.window.showErrorMessage('x');\nvoid vscode.window.showInformationMessage('y', 'OK');\nvoid vscode.window.showWarningMessage('z');\n";
    assert.deepEqual(await rulesHit('src/commands/x.ts', code), [
      '2:no-restricted-syntax',
      '3:no-restricted-syntax',
      '4:no-restricted-syntax',
    ]);
    assert.deepEqual(await rulesHit('src/notifications.ts', code), []);
  });

  it('context keys are set by src/views/contextKeys.ts alone', async () => {
    const code =
      "import * as vscode from 'vscode';\nvoid vscode.commands.executeCommand('setContext', 'fal.hasInstances', true);\nvoid vscode.window.showErrorMessage('x');\n";
    assert.deepEqual(await rulesHit('src/views/x.ts', code), ['2:no-restricted-syntax', '3:no-restricted-syntax']);
    assert.deepEqual(await rulesHit('src/commands/x.ts', code), ['2:no-restricted-syntax', '3:no-restricted-syntax']);
    assert.deepEqual(
      await rulesHit('src/views/contextKeys.ts', code),
      ['3:no-restricted-syntax'],
      'the owner is still held to the other rules',
    );
  });

  it('our own commands run through src/falCommands.ts, by their typed id', async () => {
    const code =
      "import * as vscode from 'vscode';\nvoid vscode.commands.executeCommand('fal.deleteInstance', 'i');\nvoid vscode.commands.executeCommand('vscode.openFolder');\n";
    assert.deepEqual(await rulesHit('src/instances/x.ts', code), ['2:no-restricted-syntax']);
    assert.deepEqual(await rulesHit('src/falCommands.ts', code), []);
  });

  it('global state is reached only by src/extension.ts, to make the typed StoredState', async () => {
    const code =
      'export const f = (context: { globalState: unknown; workspaceState: unknown }) => [context.globalState, context.workspaceState];\n';
    assert.deepEqual(await rulesHit('src/instances/x.ts', code), ['1:no-restricted-syntax', '1:no-restricted-syntax']);
    assert.deepEqual(await rulesHit('src/extension.ts', code), []);
  });

  it("only Watching (src/instances/watching.ts) follows the view's visibility and the window's focus: one owner of whether someone looks", async () => {
    const focus =
      "import * as vscode from 'vscode';\nexport const f = () => vscode.window.onDidChangeWindowState(() => 1);\n";
    assert.deepEqual(await rulesHit('src/views/x.ts', focus), ['2:no-restricted-syntax']);
    assert.deepEqual(await rulesHit('src/instances/watching.ts', focus), []);
    const code =
      "import type * as vscode from 'vscode';\nexport const f = (view: vscode.TreeView<unknown>) => view.onDidChangeVisibility(() => 1);\n";
    assert.deepEqual(await rulesHit('src/instances/x.ts', code), ['2:no-restricted-syntax']);
    assert.deepEqual(await rulesHit('src/extension.ts', code), ['2:no-restricted-syntax']);
    assert.deepEqual(await rulesHit('src/instances/watching.ts', code), []);
  });

  it('tests may use timers', async () => {
    assert.deepEqual(await rulesHit('test/unit/x.test.ts', 'setTimeout(() => 1, 5);\n'), []);
  });
});
