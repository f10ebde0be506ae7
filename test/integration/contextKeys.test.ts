// Every context key package.json tests (menus' and welcomes' `when`, the walkthrough's
// `onContext:`) is one src/views/contextKeys.ts knows and sets, and the owner knows no key nothing tests.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { CONTEXT_KEYS, setContextKey } from '../../src/views/contextKeys';

const EXTENSION_ID = 'fal-compute-community.fal-compute';

/** The `fal.*` identifiers in every `when`, `enablement` and `onContext:` of the manifest. */
function keysTested(contributes: unknown): Set<string> {
  const found = new Set<string>();
  const visit = (value: unknown, field?: string): void => {
    if (typeof value === 'string') {
      const clause =
        field === 'when' || field === 'enablement'
          ? value
          : value.startsWith('onContext:')
            ? value.slice('onContext:'.length)
            : '';
      for (const [key] of clause.matchAll(/(?<![\w.])fal\.[\w.]+/g)) found.add(key);
    } else if (Array.isArray(value)) for (const v of value) visit(v);
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) visit(v, k);
  };
  visit(contributes);
  return found;
}

describe('context keys (src/views/contextKeys.ts)', () => {
  it('every fal.* key a when clause or completion event tests is one the owner sets, and the owner sets none that nothing tests', () => {
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as { contributes: unknown };
    const tested = keysTested(manifest.contributes);
    assert.ok(tested.has('fal.viewState') && tested.has('fal.connectedOnce'), 'the clauses were read');
    const known = new Set<string>(CONTEXT_KEYS);
    assert.deepEqual(
      [...tested].filter((k) => !known.has(k)),
      [],
      'tested but never set',
    );
    assert.deepEqual(
      [...known].filter((k) => !tested.has(k)),
      [],
      'set but never tested',
    );
  });

  it('sends a key to the workbench only when its value changes', async () => {
    const sent: unknown[][] = [];
    const real = vscode.commands.executeCommand;
    vscode.commands.executeCommand = (async (...args: unknown[]) => void sent.push(args)) as typeof real;
    try {
      for (const value of [true, true, false, false, true]) await setContextKey('fal.deletedOnce', value);
      await setContextKey('fal.viewState', 'loading');
      await setContextKey('fal.viewState', 'loading');
    } finally {
      vscode.commands.executeCommand = real;
    }
    assert.deepEqual(sent, [
      ['setContext', 'fal.deletedOnce', true],
      ['setContext', 'fal.deletedOnce', false],
      ['setContext', 'fal.deletedOnce', true],
      ['setContext', 'fal.viewState', 'loading'],
    ]);
  });
});
