import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sshPaths } from '../../../src/ssh/paths';

describe('ssh/paths', () => {
  it('puts our files under ~/.ssh/fal and honours remote.SSH.configFile', () => {
    const home = join('/', 'home', 'u');
    assert.deepEqual(sshPaths(home), {
      home,
      sshDir: join(home, '.ssh'),
      userConfig: join(home, '.ssh', 'config'),
      falDir: join(home, '.ssh', 'fal'),
      managedConfig: join(home, '.ssh', 'fal', 'config'),
      knownHosts: join(home, '.ssh', 'fal', 'known_hosts'),
    });
    assert.equal(sshPaths(home, '~/dotfiles/ssh_config').userConfig, join(home, 'dotfiles', 'ssh_config'));
    assert.equal(sshPaths(home, '/etc/custom').userConfig, '/etc/custom');
    assert.equal(sshPaths(home, '  ').userConfig, join(home, '.ssh', 'config'));
  });

  it('src/ssh stays plain Node: nothing in it imports vscode', () => {
    const dir = join('src', 'ssh');
    for (const name of readdirSync(dir)) {
      const text = readFileSync(join(dir, name), 'utf8');
      assert.doesNotMatch(
        text,
        /from\s+['"]vscode['"]|require\(\s*['"]vscode['"]\s*\)|import\(\s*['"]vscode['"]\s*\)/,
        name,
      );
    }
  });
});
