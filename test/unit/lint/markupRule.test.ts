// The markup rule (markupRule.ts) holds for the files that build tooltips, fires on planted
// violations, and no file builds markdown or makes a MarkdownString outside its reach.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { MARKDOWN_FILES, markupFindings, markupProgram, repositoryRoot as root } from './markupRule';

/** The files that may make a MarkdownString, each from a markdown file's function. */
const MARKDOWN_STRING_FILES = ['src/views/instanceTreeItem.ts', 'src/views/statusBar.ts', 'src/views/jobsTreePart.ts'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('markup rule: outside text reaches markdown only through markdownText', function () {
  this.timeout(120_000);

  it('holds for every file that builds a tooltip', () => {
    const files = MARKDOWN_FILES.map((f) => resolve(root, f));
    const findings = markupFindings(markupProgram(root, files), root, files);
    assert.deepEqual(
      findings.map((f) => `${f.file}:${f.line}: ${f.text}`),
      [],
    );
  });

  it('fires on each way outside text could slip in, and passes the escaped and our own words', () => {
    const dir = mkdtempSync(join(tmpdir(), 'markup-rule-'));
    try {
      const file = join(dir, 'planted.ts');
      const escaper = relative(dir, resolve(root, 'src/core/markdownText')).replace(/\\/g, '/');
      writeFileSync(
        file,
        [
          `import { markdownText } from '${escaper}';`,
          `import * as l10n from '${relative(dir, resolve(root, 'node_modules/@vscode/l10n')).replace(/\\/g, '/')}';`,
          "interface Instance { readonly region: string; readonly count: number; readonly nick?: string; readonly kind: 'a' | 'b' }",
          'export function plantedMarkdown(i: Instance, note: string, sectionMarkdown: string): string {',
          '  const region = i.region;',
          '  const { nick } = i;',
          '  const fine = `${markdownText(i.region)} ${i.count} ${i.kind} ${sectionMarkdown}`;',
          '  const lines = [`a ${i.region}`, `b ${region}`, `c ${note}`, fine, i.nick ?? "—"];',
          '  lines.push(`d ${nick}`, i.region.toUpperCase());',
          '  lines.push(l10n.t`e ${i.count} ${i.region}`, l10n.t("f {0} {1}", markdownText(note), note));',
          "  return lines.join('\\n') + i.region;",
          '}',
          '',
        ].join('\n'),
      );
      const findings = markupFindings(markupProgram(root, [file]), dir, [file]);
      assert.deepEqual(
        findings.map((f) => `${f.line}: ${f.text}`).sort(),
        [
          '8: i.nick',
          '8: i.region',
          '8: note',
          '8: region',
          '9: i.region.toUpperCase()',
          '9: nick',
          '10: i.region',
          '10: note',
          '11: i.region',
        ].sort(),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('only the listed files make a MarkdownString, none appends to one, and every tooltip builder is checked', () => {
    for (const path of sourceFiles(resolve(root, 'src'))) {
      const file = relative(root, path).replace(/\\/g, '/');
      const text = readFileSync(path, 'utf8');
      assert.doesNotMatch(
        text,
        /appendMarkdown\s*\(/,
        `${file}: build the markdown in a markdown file; one MarkdownString from it`,
      );
      if (/\bnew\s+(?:vscode\.)?MarkdownString\b|(?<!workspace\.)\bisTrusted\b/.test(text))
        // (workspace.isTrusted is Workspace Trust)
        assert.ok(
          MARKDOWN_STRING_FILES.includes(file),
          `${file} makes a MarkdownString: list it and check its argument`,
        );
      if (/\bStatusPart\b|function \w+Markdown\(/.test(text)) {
        assert.ok(MARKDOWN_FILES.includes(file), `${file} builds markdown: add it to MARKDOWN_FILES (markupRule.ts)`);
      }
    }
    // Each MarkdownString is made from a markdown file's *Markdown function.
    const MARKDOWN_FILE_FUNCTIONS = new Set(
      MARKDOWN_FILES.flatMap((f) =>
        [...readFileSync(resolve(root, f), 'utf8').matchAll(/function (\w+Markdown)\(/g)].map((m) => m[1]!),
      ),
    );
    for (const file of MARKDOWN_STRING_FILES) {
      const text = readFileSync(resolve(root, file), 'utf8');
      const made = [...text.matchAll(/new\s+(?:vscode\.)?MarkdownString\(/g)].length;
      const fromBuilders = [...text.matchAll(/new vscode\.MarkdownString\((\w+)Markdown\(/g)].filter((m) =>
        MARKDOWN_FILE_FUNCTIONS.has(`${m[1]}Markdown`),
      ).length;
      assert.equal(fromBuilders, made, `${file}: every MarkdownString is made from a function of MARKDOWN_FILES`);
    }
  });
});
