import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

describe('package manifest', () => {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
  it('targets VS Code 1.100 and never activates on startup', () => {
    assert.equal(pkg.engines.vscode, '^1.100.0');
    assert.ok(!(pkg.activationEvents ?? []).includes('*'));
  });
});
