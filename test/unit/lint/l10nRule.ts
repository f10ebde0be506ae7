// The rule that every word the extension shows a person goes through `l10n.t` (@vscode/l10n, given
// VS Code's bundle in extension.ts), so a translation can replace it. Read from the syntax of src/:
// a string that reads as words (WORDS below) must be
//   - the message of an `l10n.t` call: its first argument, or the template of the tagged form
//     l10n.t`Deleted ${name}`;
//   - or a line of the log (an argument of `log(…)`, `….log(…)`, `log.info/warn/error/debug/trace(…)`,
//     `console.*(…)`), which stays English like VS Code's own logs;
//   - or text that is compared, searched or matched (`===`, `includes`, `startsWith`, `RegExp`…), not shown;
//   - or a file in NOT_SHOWN (its strings go to a machine, not a person), or a literal under a
//     `// l10n-exempt: <reason>` comment (on its line or the line above, its own or that of a
//     construct holding it, such as a function that only builds a log line), each with its reason.
// It errs towards finding: a string that is only passed along before it is logged is a finding too,
// and the fix is to log it where it is made, or to say why with the comment.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';

export const repositoryRoot = resolve(__dirname, '../../../..');

/** Reads as words: two words in a row, or one capitalised word (a button such as "Delete"). */
const WORDS = /[A-Za-z]{2,}[:,;.!?]?[ \u00a0]+[A-Za-z(]|^[A-Z][a-z]+[.…!?]?$/;

/** Files whose strings are read by programs, not people, each with the reason. */
export const NOT_SHOWN: Record<string, string> = {
  'src/ssh/managedConfig.ts':
    'its one text is the header comment of ~/.ssh/fal/config, found again by its words (withHeader, sshTidy), so the same in every display language',
};

const LOG_METHODS = new Set(['info', 'warn', 'error', 'debug', 'trace', 'appendLine']);
const MATCH_METHODS = new Set([
  'includes',
  'startsWith',
  'endsWith',
  'indexOf',
  'lastIndexOf',
  'split',
  'match',
  'test',
  'search',
  'replace',
  'replaceAll',
  'has',
]);
const COMPARISONS = new Set([
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken,
]);

export interface Finding {
  readonly file: string;
  readonly line: number;
  readonly text: string;
}

function isL10nT(callee: ts.Node): boolean {
  return (
    ts.isPropertyAccessExpression(callee) &&
    callee.name.text === 't' &&
    ts.isIdentifier(callee.expression) &&
    callee.expression.text === 'l10n'
  );
}

function isLogCall(call: ts.CallExpression): boolean {
  const callee = call.expression;
  if (ts.isIdentifier(callee)) return callee.text === 'log';
  if (!ts.isPropertyAccessExpression(callee)) return false;
  if (callee.name.text === 'log') return true;
  const target = callee.expression.getText();
  return LOG_METHODS.has(callee.name.text) && /(^|\.)(log|logger|console|output)$/i.test(target);
}

function isMatchCall(call: ts.CallExpression): boolean {
  const callee = call.expression;
  return ts.isPropertyAccessExpression(callee) && MATCH_METHODS.has(callee.name.text);
}

/** Why the literal `node` needs no translation, or undefined when it does. */
function placeOf(node: ts.Node): 'message' | 'log' | 'match' | 'syntax' | undefined {
  const parent = node.parent;
  if (
    ts.isImportDeclaration(parent) ||
    ts.isExportDeclaration(parent) ||
    ts.isExternalModuleReference(parent) ||
    ts.isLiteralTypeNode(parent) ||
    (ts.isPropertyAssignment(parent) && parent.name === node) ||
    ts.isPropertySignature(parent) ||
    (ts.isElementAccessExpression(parent) && parent.argumentExpression === node) ||
    ts.isCaseClause(parent)
  )
    return 'syntax';
  if (ts.isTaggedTemplateExpression(parent) && isL10nT(parent.tag)) return 'message';
  if (ts.isCallExpression(parent) && isL10nT(parent.expression) && parent.arguments[0] === node) return 'message';
  // Climb through what only joins or chooses text, to the call or comparison that takes it.
  let child: ts.Node = node;
  let up: ts.Node = parent;
  for (;;) {
    if (ts.isCallExpression(up) || ts.isNewExpression(up)) {
      if (up.expression === child) return undefined;
      if (ts.isCallExpression(up) && isLogCall(up)) return 'log';
      if (ts.isCallExpression(up) && isMatchCall(up)) return 'match';
      if (ts.isNewExpression(up) && ts.isIdentifier(up.expression) && up.expression.text === 'RegExp') return 'match';
      return undefined;
    }
    if (ts.isBinaryExpression(up) && COMPARISONS.has(up.operatorToken.kind)) return 'match';
    const joins =
      ts.isTemplateSpan(up) ||
      ts.isTemplateExpression(up) ||
      ts.isParenthesizedExpression(up) ||
      (ts.isConditionalExpression(up) && up.condition !== child) ||
      (ts.isBinaryExpression(up) &&
        [ts.SyntaxKind.PlusToken, ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken].includes(
          up.operatorToken.kind,
        ));
    if (!joins) return undefined;
    child = up;
    up = up.parent;
  }
}

function insideFunction(node: ts.Node): boolean {
  for (let up = node.parent; up; up = up.parent) if (ts.isFunctionLike(up)) return true;
  return false;
}

/**
 * Under `// l10n-exempt: <reason>` on its line or the line above — the literal's own, or that of a
 * construct holding it: a marker above a function covers its body (a function that only builds a log
 * line says so once, not at each of its words).
 */
function exempted(source: ts.SourceFile, node: ts.Node): boolean {
  const lines = source.text.split('\n');
  for (let at: ts.Node = node; !ts.isSourceFile(at); at = at.parent) {
    const line = source.getLineAndCharacterOfPosition(at.getStart()).line;
    if ([lines[line], lines[line - 1]].some((text) => /\/\/ l10n-exempt: \S/.test(text ?? ''))) return true;
  }
  return false;
}

/** The words in `file`'s source that reach a person without `l10n.t`. */
export function l10nFindings(root: string, file: string, text = readFileSync(file, 'utf8')): Finding[] {
  const name = relative(root, file).replace(/\\/g, '/');
  if (Object.hasOwn(NOT_SHOWN, name)) return [];
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const findings: Finding[] = [];
  const report = (node: ts.Node, why = '') => {
    const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
    findings.push({ file: name, line, text: why + node.getText().slice(0, 100) });
  };
  const visit = (node: ts.Node) => {
    let words: string | undefined;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) words = node.text;
    else if (ts.isTemplateExpression(node))
      words = [node.head.text, ...node.templateSpans.map((span) => span.literal.text)].join('x'); // a span reads as a word: `Deleted ${name}` is words
    if (words !== undefined && WORDS.test(words) && !placeOf(node) && !exempted(source, node)) report(node);
    // Worded when the module loads, a message would miss the bundle: extension.ts gives it after
    // every import has run. Word it in a function, when it is shown.
    const translated =
      (ts.isCallExpression(node) && isL10nT(node.expression)) ||
      (ts.isTaggedTemplateExpression(node) && isL10nT(node.tag));
    if (translated && !insideFunction(node)) report(node, 'at load: ');
    ts.forEachChild(node, visit);
  };
  visit(source);
  return findings;
}

export function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}
