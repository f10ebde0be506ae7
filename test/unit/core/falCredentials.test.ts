import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findExistingFalKey } from '../../../src/core/falCredentials';

describe('findExistingFalKey', () => {
  let home: string;
  beforeEach(() => (home = mkdtempSync(join(tmpdir(), 'fal-home-'))));
  afterEach(() => rmSync(home, { recursive: true, force: true }));
  const writeConfig = (text: string) => {
    mkdirSync(join(home, '.fal'));
    writeFileSync(join(home, '.fal', 'config.toml'), text);
  };

  it('prefers FAL_KEY, then FAL_KEY_ID + FAL_KEY_SECRET', async () => {
    writeConfig('[default]\nkey = "profile:key"\n');
    assert.equal((await findExistingFalKey({ FAL_KEY: ' env:key ' }, home))?.key, 'env:key');
    const pair = await findExistingFalKey({ FAL_KEY_ID: 'id', FAL_KEY_SECRET: 'secret' }, home);
    assert.equal(pair?.key, 'id:secret');
    assert.match(pair!.source, /FAL_KEY_ID/);
  });

  it('reads the active profile of the fal CLI config', async () => {
    writeConfig(
      '[__internal__]\nprofile = "work"\n\n[default]\nkey = "d:1"\n\n[work]\nkey = "w:2"\nhost = "api.fal.ai"\n',
    );
    assert.equal((await findExistingFalKey({}, home))?.key, 'w:2');
    assert.equal((await findExistingFalKey({ FAL_PROFILE: 'default' }, home))?.key, 'd:1');
  });

  it('honours FAL_CONFIG_PATH and finds nothing in a broken or missing file', async () => {
    const other = join(home, 'other.toml');
    writeFileSync(other, '[default]\nkey = "o:3"\n');
    assert.equal((await findExistingFalKey({ FAL_CONFIG_PATH: other }, home))?.key, 'o:3');
    assert.equal(await findExistingFalKey({}, home), undefined);
    writeConfig('[default\nkey = ');
    assert.equal(await findExistingFalKey({}, home), undefined);
  });
});
