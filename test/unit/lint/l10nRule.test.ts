// Every word the extension shows goes through l10n.t (l10nRule.ts), and the manifest's words live in
// package.nls.json: the rule holds for src/, and fires on each planted way round it.
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { l10nFindings, repositoryRoot as root, sourceFiles } from './l10nRule';

const planted = (text: string) =>
  l10nFindings(root, resolve(root, 'src/views/planted.ts'), text).map((f) => `${f.line}: ${f.text}`);

describe('l10n rule: every word shown goes through l10n.t', function () {
  this.timeout(60_000);

  it('holds for every file in src/', () => {
    const findings = sourceFiles(resolve(root, 'src')).flatMap((file) => l10nFindings(root, file));
    assert.deepEqual(
      findings.map((f) => `${f.file}:${f.line}: ${f.text}`),
      [],
    );
  });

  it('fires on words shown without it, anywhere they could be built, and on words worded at load', () => {
    const source = [
      "import * as l10n from '@vscode/l10n';",
      'export function shown(name: string, ok: boolean, span: string) {',
      "  void window.showWarningMessage('The key was rejected.');", // 3
      '  const label = `Deleted ${name}`;', // 4
      "  if (!ok) throw new Error('the disk is full');", // 5
      "  const button = 'Delete';", // 6
      "  l10n.t('{0} is {1}', name, ok ? 'set up' : 'not set up');", // 7: the chosen words are not the message
      "  l10n.t`Deleted ${name ?? 'an instance'}`;", // 8
      "  return ['idle for', span, label, button].join(' ');", // 9
      '}',
      "const TITLE = l10n.t('Create H100 Instance');", // 11: worded at load, before the bundle is given
      'const WORDS = { idle: l10n.t`idle ${1}` };', // 12
    ].join('\n');
    assert.deepEqual(planted(source), [
      "3: 'The key was rejected.'",
      '4: `Deleted ${name}`',
      "5: 'the disk is full'",
      "6: 'Delete'",
      "7: 'set up'",
      "7: 'not set up'",
      "8: 'an instance'",
      "9: 'idle for'",
      "11: at load: l10n.t('Create H100 Instance')",
      '12: at load: l10n.t`idle ${1}`',
    ]);
  });

  it('passes messages, log lines, matched text, syntax and an exemption with its reason', () => {
    const source = [
      "import * as l10n from '@vscode/l10n';",
      'export function shown() {',
      "void window.showWarningMessage(l10n.t('The key was rejected.'));",
      'const label = l10n.t`Deleted ${name}`;',
      "const other = l10n.t('Deleted {0} of {1}', name, count);",
      'log.info(`fal answered ${status}: retrying in a moment`);',
      "this.deps.log.warn('could not read the ledger, ' + why);",
      "log(ok ? 'set up done' : 'setup failed here');",
      "if (line.includes('Unable to determine the device handle')) return;",
      "if (text === 'No devices were found') return;",
      "type T = 'two words';",
      "const table = { 'Two Words': 1 };",
      '// l10n-exempt: written into ~/.ssh/config, read by ssh',
      "const header = '# Added by fal Compute';",
      '// l10n-exempt: the log line only (a function marked once covers its words)',
      'function logged(n: number) {',
      "  if (n) return 'one word here';",
      '  return `many ${n} words`;',
      '}',
      "const id = 'fal.createInstance';",
      "const title = () => l10n.t('Create H100 Instance');",
      'function words() { return { idle: l10n.t`idle ${1}` }; }',
    ].join('\n');
    assert.deepEqual(planted(source), []);
  });
});
