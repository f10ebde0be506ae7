// package.json agrees with the code it describes.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_BASE_URL } from '../../src/api';

describe('package.json', () => {
  it('has one default base URL: the one the client uses', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8'));
    assert.equal(pkg.contributes.configuration.properties['fal.apiBaseUrl'].default, DEFAULT_BASE_URL);
  });
});
