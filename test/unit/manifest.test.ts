// package.json agrees with the code it describes.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_BASE_URL } from '../../src/api';
import { manifestFiles, NLS_PLACEHOLDER } from '../support/manifest';

/** Where the manifest holds words a person reads (VS Code's contribution points). */
const WORD_FIELDS = new Set([
  'displayName',
  'description',
  'title',
  'shortTitle',
  'category',
  'name',
  'contents',
  'markdownDescription',
  'enumDescriptions',
  'markdownEnumDescriptions',
  'deprecationMessage',
  'markdownDeprecationMessage',
  'altText',
]);

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

  it('keeps every word it shows in package.nls.json, each key used and none missing', () => {
    const { manifest, nls } = manifestFiles(join(__dirname, '../../..'));
    const used = new Set<string>();
    const plain: string[] = [];
    const walk = (value: unknown, path: string, field: string): void => {
      if (typeof value === 'string') {
        const key = NLS_PLACEHOLDER.exec(value)?.[1];
        if (key !== undefined) used.add(key);
        else if (WORD_FIELDS.has(field) && /[A-Za-z]{2,}/.test(value)) plain.push(`${path}: ${value.slice(0, 60)}`);
      } else if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${path}[${i}]`, field));
      else if (value && typeof value === 'object')
        for (const [k, v] of Object.entries(value)) {
          // A setting's name and a task's keys are ids, not words; `description` of the package itself is.
          walk(v, `${path}.${k}`, path.endsWith('.properties') || k === 'default' ? '' : k);
        }
    };
    const { displayName, description, contributes, capabilities } = manifest as Record<string, unknown>;
    walk({ displayName, description, contributes, capabilities }, 'package.json', '');
    assert.deepEqual(plain, [], 'words in package.json itself: move them to package.nls.json');
    assert.deepEqual(
      [...used].filter((key) => !Object.hasOwn(nls, key)),
      [],
      'keys package.nls.json lacks',
    );
    assert.deepEqual(
      Object.keys(nls).filter((key) => !used.has(key)),
      [],
      'words package.json no longer uses',
    );
    assert.ok(used.size > 80, 'the check must not be vacuous');
  });
});
