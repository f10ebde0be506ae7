// package.json agrees with the code it describes.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_BASE_URL } from '../../src/api';

describe('package.json', () => {
  it('has one default base URL: the one the client uses', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8'));
    assert.equal(pkg.contributes.configuration.properties['fal.apiBaseUrl'].default, DEFAULT_BASE_URL);
  });

  it('decides for every installed package with an install script whether it runs (allowScripts): npm 11 skips undeclared ones with a warning', () => {
    const root = join(__dirname, '../../..');
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
    const withScripts = Object.keys(lock.packages)
      .filter((path) => path.startsWith('node_modules/') && existsSync(join(root, path, 'package.json')))
      .filter((path) => {
        const scripts = JSON.parse(readFileSync(join(root, path, 'package.json'), 'utf8')).scripts ?? {};
        return ['preinstall', 'install', 'postinstall'].some((s) => s in scripts);
      })
      .map((path) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));
    assert.ok(withScripts.length > 0, 'the check must not be vacuous');
    assert.deepEqual(
      [...new Set(withScripts)].filter((name) => !(name in (pkg.allowScripts ?? {}))),
      [],
    );
  });
});
