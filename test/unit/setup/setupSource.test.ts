// Which script runs (the folder's file over the setting), its size limit, and approval by the
// sha256 of its exact bytes.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { approve, MAX_APPROVALS, needsApproval, revokeApproval } from '../../../src/setup/approval';
import { chooseSetupScript, MAX_SCRIPT_BYTES, type SetupScript } from '../../../src/setup/setupSource';

const scriptOf = (file?: string, command?: string): SetupScript => {
  const choice = chooseSetupScript(file === undefined ? undefined : Buffer.from(file), command);
  assert.equal(choice.kind, 'script');
  return (choice as Extract<typeof choice, { kind: 'script' }>).script;
};

describe('setup script and its approval', () => {
  it('the file wins over the setting; a blank file means no setup; the setting runs only without a file', () => {
    const file = scriptOf('pip install -r requirements.txt\n', 'echo from setting');
    assert.equal(file.origin, 'file');
    assert.equal(file.sha256, createHash('sha256').update('pip install -r requirements.txt\n').digest('hex'));
    assert.deepEqual(chooseSetupScript(Buffer.from(' \n\t\n'), 'echo x'), { kind: 'none' });
    const setting = scriptOf(undefined, '  echo from setting  ');
    assert.deepEqual([setting.origin, Buffer.from(setting.bytes).toString()], ['setting', 'echo from setting\n']);
    assert.deepEqual(chooseSetupScript(undefined, '   '), { kind: 'none' });
    assert.deepEqual(chooseSetupScript(undefined, undefined), { kind: 'none' });
    assert.equal(scriptOf('echo a\r\necho b\r\n').crlf, true);
  });

  it('a script over MAX_SCRIPT_BYTES is refused with its size', () => {
    assert.deepEqual(chooseSetupScript(Buffer.alloc(MAX_SCRIPT_BYTES + 1, 'x'), undefined), {
      kind: 'tooLarge',
      origin: 'file',
      bytes: MAX_SCRIPT_BYTES + 1,
    });
    assert.equal(chooseSetupScript(Buffer.alloc(MAX_SCRIPT_BYTES, 'x'), undefined).kind, 'script');
  });

  it('approval is by content: one byte changed asks again; garbage in the store approves nothing; the oldest is forgotten first', async () => {
    let stored: unknown = undefined;
    const store = { get: () => stored as string[], set: (h: readonly string[]) => void (stored = [...h]) };
    const a = scriptOf('echo a\n');
    assert.equal(needsApproval(store, a), true);
    await approve(store, a);
    assert.equal(needsApproval(store, a), false);
    assert.equal(needsApproval(store, scriptOf('echo a \n')), true);
    stored = { [a.sha256]: true };
    assert.equal(needsApproval(store, a), true);
    stored = [a.sha256.toUpperCase(), 42, null];
    assert.equal(needsApproval(store, a), true);
    stored = [];
    for (let i = 0; i <= MAX_APPROVALS; i++) await approve(store, scriptOf(`echo ${i}\n`));
    assert.equal((stored as string[]).length, MAX_APPROVALS);
    assert.equal(needsApproval(store, scriptOf('echo 0\n')), true);
    assert.equal(needsApproval(store, scriptOf(`echo ${MAX_APPROVALS}\n`)), false);
    await revokeApproval(store, scriptOf(`echo ${MAX_APPROVALS}\n`));
    assert.equal(needsApproval(store, scriptOf(`echo ${MAX_APPROVALS}\n`)), true);
  });
});
