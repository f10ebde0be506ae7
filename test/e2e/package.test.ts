// The .vsix that `npm run package` builds (and every UI test installs): only what runs, within a
// size budget, with the gallery fields a marketplace listing needs.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { defaultVsix } from './workbench';

const SIZE_BUDGET_BYTES = 512 * 1024;

/** Entry names from a zip's central directory (enough of the format for a .vsix). */
function zipEntries(zip: Buffer): string[] {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(eocd >= 0, 'not a zip file');
  const count = zip.readUInt16LE(eocd + 10);
  let offset = zip.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    assert.equal(zip.readUInt32LE(offset), 0x02014b50, 'central directory entry');
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    names.push(zip.toString('utf8', offset + 46, offset + 46 + nameLength));
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return names.sort();
}

describe('the packaged .vsix', () => {
  const vsix = readFileSync(defaultVsix);

  it('contains only what runs', () => {
    assert.deepEqual(zipEntries(vsix), [
      '[Content_Types].xml',
      'extension.vsixmanifest',
      'extension/LICENSE.txt',
      'extension/changelog.md',
      'extension/dist/extension.js',
      'extension/dist/features.js',
      'extension/dist/ssh2.js',
      'extension/dist/tar-stream.js',
      'extension/dist/undici.js',
      'extension/dist/uninstall.js',
      'extension/media/fal.svg',
      'extension/media/icon.png',
      'extension/media/walkthrough/connect.svg',
      'extension/media/walkthrough/create.svg',
      'extension/media/walkthrough/delete.svg',
      'extension/media/walkthrough/key.svg',
      'extension/package.json',
      'extension/package.nls.json',
      'extension/readme.md',
    ]);
  });

  it(`stays within its size budget (${SIZE_BUDGET_BYTES / 1024} KiB)`, () => {
    assert.ok(vsix.length <= SIZE_BUDGET_BYTES, `${(vsix.length / 1024).toFixed(1)} KiB`);
  });

  it('has the gallery fields and no startup activation', () => {
    const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
    for (const field of [
      'icon',
      'categories',
      'keywords',
      'repository',
      'license',
      'displayName',
      'description',
      'publisher',
    ]) {
      assert.ok(manifest[field], `package.json lacks ${field}`);
    }
    assert.deepEqual(manifest.activationEvents, []);
    assert.equal(manifest.main, './dist/extension.js');
    // VS Code runs it as `node <extension>/dist/uninstall.js` after the extension is uninstalled.
    assert.equal(manifest.scripts['vscode:uninstall'], 'node ./dist/uninstall.js');
  });
});
