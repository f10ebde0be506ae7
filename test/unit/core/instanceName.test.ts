// Names for machines (issue 14 item 6): what a name may be, how it is cleaned when read back, and
// the name the create wizard proposes.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { accountOf } from '../../../src/core/falAccount';
import { cleanName, instanceTitle, MAX_NAME_LENGTH, nameProblem, proposedName } from '../../../src/core/instanceName';

describe('instance names', () => {
  it('a name is one line of visible text, at most 40 characters', () => {
    assert.equal(nameProblem('training run #2'), undefined);
    assert.equal(nameProblem(''), undefined, 'empty removes the name');
    assert.equal(nameProblem('画像モデル 🚀'), undefined);
    for (const bad of ['a\nb', 'a\rb', 'a\tb', 'a\u2028b', 'a\u202eb', 'a\u0000b', 'a\u007fb'])
      assert.match(nameProblem(bad)!, /one line of visible text/, JSON.stringify(bad));
    assert.match(nameProblem('x'.repeat(MAX_NAME_LENGTH + 1))!, /at most 40/);
  });

  it('cleanName never returns invisible characters, never more than 40 characters, never empty', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (text) => {
        const clean = cleanName(text);
        if (clean === undefined) return;
        assert.ok(clean.length > 0 && [...clean].length <= MAX_NAME_LENGTH);
        assert.equal(nameProblem(clean), undefined);
        assert.equal(clean, clean.trim());
        assert.equal(cleanName(clean), clean, 'stable');
      }),
    );
  });

  it('proposes the folder name, numbered when it is taken', () => {
    assert.equal(proposedName('api', []), 'api');
    assert.equal(proposedName('api', ['API', 'api 2']), 'api 3');
    assert.equal(proposedName(undefined, []), undefined);
    assert.equal(proposedName('\n', []), undefined);
    assert.equal([...proposedName('x'.repeat(60), ['x'.repeat(40)])!].length, 40);
  });

  it('prose names a machine by its name and type, or by type and id', () => {
    assert.equal(instanceTitle({ id: 'inst_a', instance_type: 'gpu_8x_h100_sxm5' }, 'api'), 'api (8x H100)');
    assert.equal(instanceTitle({ id: 'inst_a', instance_type: 'gpu_8x_h100_sxm5' }, undefined), '8x H100 inst_a');
  });
});

describe('the account of a key', () => {
  it('depends on the key id only, and contains neither the id nor the secret', () => {
    assert.equal(accountOf('key-id:secret-1'), accountOf(' key-id:secret-2 '));
    assert.notEqual(accountOf('key-id:s'), accountOf('other-id:s'));
    assert.ok(!accountOf('key-id:secret').includes('key-id'));
    assert.match(accountOf('key-id:secret'), /^[0-9a-f]{16}$/);
  });
});
