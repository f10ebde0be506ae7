// The user's name for an instance goes into its Host block as a comment line (issue 14 item 6). A
// name is hostile input in an SSH config: generated names — line breaks of every kind, `#`, quotes,
// control and bidi characters, keywords like ProxyCommand — never add or change a directive, as
// read by our own parser, by the ssh-config library and by the real `ssh -G`.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import SSHConfig from 'ssh-config';
import { parseConfigLine } from '../../../src/ssh/configText';
import { nameComment, NAME_COMMENT_PREFIX, renderHostBlock, type HostEntry } from '../../../src/ssh/hostEntry';
import { listHosts, upsertHost } from '../../../src/ssh/managedConfig';
import { hasOpenSsh, makeTempDir, removeDir, sshG } from './helpers';

const entry: HostEntry = {
  alias: 'fal-inst_abc123xyz',
  hostName: '203.0.113.10',
  identityFile: '/home/u/.ssh/fal_ed25519',
  knownHostsFile: '/home/u/.ssh/fal/known_hosts',
};

const INJECTIONS = [
  'api\nProxyCommand touch /tmp/pwned',
  'api\r\nHostName 198.51.100.1',
  'api\rUser root',
  'api\u2028Port 2222',
  'api\u0085IdentityFile /tmp/k',
  'api\u000bLocalCommand id',
  '# Host *',
  'x" \\\nMatch all',
  '\u202eevil\u202c',
  '\u0000\u0001\u001b[31m',
];

/** Names with the characters that could end a line or a token, mixed with ordinary text. */
const hostileName = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        '\n',
        '\r',
        '\r\n',
        '\u2028',
        '\u2029',
        '\u0085',
        '\u000b',
        '\f',
        '\t',
        '#',
        '"',
        "'",
        '\\',
        '=',
        ' ',
        '\u0000',
        '\u202e',
        '\u200b',
      ),
      fc.constantFrom(
        'ProxyCommand touch /tmp/x',
        'Host *',
        'Match all',
        'HostName 198.51.100.1',
        'Include /etc/passwd',
      ),
      fc.string({ unit: 'binary', maxLength: 6 }),
    ),
    { maxLength: 12 },
  )
  .map((parts) => parts.join(''));

/** The directives of a config text as each reader sees them. */
function directives(text: string): string[] {
  return text
    .split('\n')
    .map((l) => parseConfigLine(l))
    .filter((p) => p.keyword)
    .map((p) => `${p.keyword} ${p.args.join(' ')}`);
}
function libraryDirectives(text: string): string[] {
  const out: string[] = [];
  for (const node of SSHConfig.parse(text)) {
    if (!('param' in node)) continue;
    out.push(`${node.param} ${String(node.value)}`);
    if ('config' in node)
      for (const child of node.config) if ('param' in child) out.push(`${child.param} ${String(child.value)}`);
  }
  return out;
}

describe('ssh/hostEntry: the name comment', () => {
  const plain = renderHostBlock(entry);

  it('is one comment line right under Host, with the name as typed when it is plain text', () => {
    const block = renderHostBlock({ ...entry, name: 'training run #2' });
    const lines = block.split('\n');
    assert.equal(lines[0], 'Host fal-inst_abc123xyz');
    assert.equal(lines[1], `  ${NAME_COMMENT_PREFIX} training run #2`);
    assert.deepEqual(
      lines.filter((_, i) => i !== 1),
      plain.split('\n'),
    );
  });

  it('an empty or invisible name writes no comment', () => {
    for (const name of ['', '   ', '\n\r\t', '\u202e\u2028']) assert.equal(renderHostBlock({ ...entry, name }), plain);
  });

  it('known injections stay inside the one comment line', () => {
    for (const name of INJECTIONS) {
      const block = renderHostBlock({ ...entry, name });
      assert.equal(
        block.split('\n').length,
        plain.split('\n').length + (nameComment(name) ? 1 : 0),
        JSON.stringify(name),
      );
      assert.deepEqual(directives(block), directives(plain), JSON.stringify(name));
      assert.deepEqual(libraryDirectives(block), libraryDirectives(plain), JSON.stringify(name));
    }
  });

  it('no generated name adds, removes or changes a directive (our parser and the ssh-config library)', () => {
    fc.assert(
      fc.property(hostileName, (name) => {
        const block = renderHostBlock({ ...entry, name });
        const comment = nameComment(name);
        assert.equal(block.split('\n').length, plain.split('\n').length + (comment ? 1 : 0));
        if (comment) assert.ok(!/[\p{C}\p{Zl}\p{Zp}]/u.test(comment), 'only visible characters in the comment');
        assert.deepEqual(directives(block), directives(plain));
        assert.deepEqual(libraryDirectives(block), libraryDirectives(plain));
      }),
      { numRuns: 500 },
    );
  });

  (hasOpenSsh() ? describe : describe.skip)('as the real ssh reads it (ssh -G)', () => {
    let dir: string;
    before(() => (dir = makeTempDir('fal-name-comment-')));
    after(() => removeDir(dir));

    it('resolves the host exactly as without a name, for every known injection and 40 generated names', async () => {
      const file = join(dir, 'config');
      writeFileSync(file, plain);
      const expected = await sshG(file, entry.alias);
      const names = [...INJECTIONS, ...fc.sample(hostileName, { numRuns: 40, seed: 14 })];
      for (const name of names) {
        writeFileSync(file, renderHostBlock({ ...entry, name }));
        assert.deepEqual(await sshG(file, entry.alias), expected, JSON.stringify(name));
      }
    });
  });

  describe('in the managed file', () => {
    let dir: string;
    before(() => (dir = makeTempDir('fal-name-managed-')));
    after(() => removeDir(dir));

    it("a new name replaces the old comment, no name removes it, and the user's own lines in the block stay", async () => {
      const managed = join(dir, 'config');
      await upsertHost(managed, { ...entry, name: 'first' });
      writeFileSync(managed, readFileSync(managed, 'utf8') + '  ForwardAgent yes\n  # my own note\n');
      await upsertHost(managed, { ...entry, name: 'second' });
      let text = readFileSync(managed, 'utf8');
      assert.equal(text.split(NAME_COMMENT_PREFIX).length - 1, 1, text);
      assert.match(text, /# fal-compute name: second\n/);
      assert.match(text, /ForwardAgent yes\n {2}# my own note\n/);
      await upsertHost(managed, entry);
      text = readFileSync(managed, 'utf8');
      assert.ok(!text.includes(NAME_COMMENT_PREFIX), text);
      assert.match(text, /ForwardAgent yes/);
      assert.deepEqual(
        (await listHosts(managed)).map((h) => h.alias),
        [entry.alias],
      );
    });
  });
});
