// The typed command ids are exactly the commands package.json contributes, and errors name a
// command the way its contributed title reads.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { COMMAND_IDS, errorTitle, errorTitles } from '../../../src/core/commandIds';
import { readManifest } from '../../support/manifest';

const manifest = readManifest(join(__dirname, '../../../..'));

describe('command ids (src/core/commandIds.ts)', () => {
  it('lists exactly the commands package.json contributes', () => {
    const contributed = (manifest.contributes.commands as { command: string }[]).map((c) => c.command);
    assert.deepEqual([...COMMAND_IDS].sort(), [...contributed].sort());
    assert.equal(new Set(COMMAND_IDS).size, COMMAND_IDS.length, 'no id twice');
  });

  it('names a command in errors by its title, without the category and the trailing ellipsis', () => {
    assert.equal(errorTitle('Connect…', 'fal'), 'Connect');
    assert.equal(errorTitle('fal: Create H100 Instance'), 'Create H100 Instance');
    assert.equal(errorTitle('Forget Host Key...'), 'Forget Host Key');
    assert.equal(errorTitle('Keep (Protect from Auto-Delete)', 'fal'), 'Keep (Protect from Auto-Delete)');
  });

  it('reads every contributed title from the manifest, and keeps the error prefixes users saw', () => {
    const titles = errorTitles(manifest);
    for (const id of COMMAND_IDS) assert.ok(titles.get(id), id);
    assert.equal(titles.get('fal.deleteInstance'), 'Delete Instance');
    assert.equal(titles.get('fal.connect'), 'Connect');
    assert.equal(titles.get('fal.forgetHostKey'), 'Forget Host Key');
    assert.equal(titles.get('fal.createInstance'), 'Create H100 Instance');
    assert.equal(errorTitles(undefined).size, 0);
    assert.equal(errorTitles({ contributes: { commands: [{ command: 1 }, null] } }).size, 0);
  });
});
