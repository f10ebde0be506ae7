// The rule that outside text reaches a tooltip's markdown only through markdownText/markdownCode
// (src/core/markdownText.ts), checked with the TypeScript type checker: in the files that build
// markdown, every string that is put into it (a template literal's `${…}`, an array element, a
// `push` argument, a returned value, an arrow's result, a `+` operand) must be
//   - a string literal, or of a string-literal type (words from this code's own vocabulary);
//   - a call to an escaper or a formatter of our own words and numbers (SAFE_CALLS), or to a
//     function declared in a markdown file (whose own results are checked the same way);
//   - a local constant whose value passes the rule, or a parameter named `…Markdown` (markup by
//     contract, checked where it is built);
//   - one of the few properties listed in OWN_WORDS, with the reason;
//   - or built of such parts (`a ? b : c`, `a ?? b`, `a + b`).
// Anything else, such as `instance.region`, a string parameter or a destructured string, is a
// finding. Numbers and booleans are not text and pass.
import { dirname, relative, resolve } from 'node:path';
import ts from 'typescript';

/** `l10n.t`, the one translator of the words we show. */
const isTranslator = (callee: ts.Node) =>
  ts.isPropertyAccessExpression(callee) &&
  callee.name.text === 't' &&
  ts.isIdentifier(callee.expression) &&
  callee.expression.text === 'l10n';

/** The files that build the markdown of a tooltip (the row's, the GPU section, the status bar's parts). */
export const MARKDOWN_FILES = [
  'src/views/instanceTooltip.ts',
  'src/views/gpuTooltip.ts',
  'src/views/statusBar.ts',
  'src/views/costPresentation.ts',
  'src/views/leaseText.ts',
  'src/views/idleStatus.ts',
  'src/views/creditPresentation.ts',
  'src/views/jobsStatus.ts',
  'src/views/jobTooltip.ts',
];

/** Functions whose result may go into markdown whatever they are given, each with the reason. */
const SAFE_CALLS: Record<string, string> = {
  markdownText: 'the escaper',
  markdownCode: 'the escaper, for plain tokens in a code span',
  commandUri: 'percent-encodes its arguments down to letters and digits',
  notificationText: "the countdown's escaper (a notification's markup is links only)",
  formatUsd: 'a number as dollars',
  spanText: 'a duration in our words',
  agoText: 'a duration in our words',
  countdownLeftText: 'a duration in our words',
  clock: 'a clock time',
  clockText: 'a clock time as the locale writes it (base/durations.ts)',
  idleText: 'a duration in our words',
  runwayText: 'a duration in our words (views/creditWords.ts)',
  gpuSummary: "the GPUs' figures: numbers and our words, no remote text",
  historyText: 'numbers and our words',
  sparklineDataUri: 'a base64 data URI',
  describeSpec: 'our table of machine specs',
  toLocaleString: 'a date or number as the locale writes it',
  toFixed: 'a number',
  join: 'joins parts that are checked where they are made (array elements, map results)',
};

/** String methods that, given literal arguments, add nothing but those literals. */
const STRING_METHODS = ['replace', 'replaceAll', 'slice', 'trim', 'padStart', 'padEnd', 'toUpperCase', 'toLowerCase'];

/** Properties that hold our own words or markup by contract, as `Type.property`, with the reason. */
const OWN_WORDS: Record<string, string> = {
  'StatusLook.icon': "a codicon id from status.ts's table",
  'MachineSpec.dashboardName': "instanceTypes.ts's table",
  'StatusPart.tooltip': 'markup by contract, built in MARKDOWN_FILES (checked)',
  'StatusPart.text': "the status bar's text by contract, built in MARKDOWN_FILES (checked)",
  'StatusPart.accessibility': "a screen reader's label: plain text, not markup",
};

export interface Finding {
  readonly file: string;
  readonly line: number;
  readonly text: string;
}

/** Program over `files` (absolute paths) with the project's compiler options. */
export function markupProgram(root: string, files: readonly string[]): ts.Program {
  const config = ts.readConfigFile(resolve(root, 'tsconfig.json'), (p) => ts.sys.readFile(p));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  return ts.createProgram(files, { ...parsed.options, noEmit: true });
}

/** What in `files` (absolute paths) puts a string into markdown without the escaper. */
export function markupFindings(program: ts.Program, root: string, files: readonly string[]): Finding[] {
  const checker = program.getTypeChecker();
  const markdownFiles = new Set(files.map((f) => resolve(f)));
  const findings = new Map<string, Finding>();
  const report = (node: ts.Node) => {
    const source = node.getSourceFile();
    const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
    const file = relative(root, source.fileName);
    findings.set(`${file}:${node.getStart()}`, { file, line, text: node.getText() });
  };

  const isStringish = (node: ts.Node) => {
    const type = checker.getTypeAtLocation(node);
    return (type.isUnion() ? type.types : [type]).some((t) => (t.flags & ts.TypeFlags.StringLike) !== 0);
  };
  const isOwnLiteral = (node: ts.Node) => {
    const type = checker.getTypeAtLocation(node);
    return (type.isUnion() ? type.types : [type]).every(
      (t) =>
        (t.flags &
          (ts.TypeFlags.StringLiteral |
            ts.TypeFlags.Undefined |
            ts.TypeFlags.NumberLike |
            ts.TypeFlags.BooleanLike)) !==
        0,
    );
  };
  const declaredInMarkdownFile = (decl: ts.Node) => markdownFiles.has(resolve(decl.getSourceFile().fileName));
  const constants = new Map<ts.Node, boolean>();

  /** The parts of `expr` that break the rule. */
  const check = (expr: ts.Expression): ts.Node[] => {
    if (!isStringish(expr) || isOwnLiteral(expr)) return [];
    if (ts.isStringLiteralLike(expr) || ts.isTemplateExpression(expr)) return []; // a template's spans are checked on their own
    if (ts.isParenthesizedExpression(expr) || ts.isAsExpression(expr) || ts.isNonNullExpression(expr))
      return check(expr.expression);
    if (ts.isConditionalExpression(expr)) return [...check(expr.whenTrue), ...check(expr.whenFalse)];
    if (ts.isBinaryExpression(expr)) {
      const op = expr.operatorToken.kind;
      if (
        op === ts.SyntaxKind.QuestionQuestionToken ||
        op === ts.SyntaxKind.BarBarToken ||
        op === ts.SyntaxKind.PlusToken
      )
        return [...check(expr.left), ...check(expr.right)];
      if (op === ts.SyntaxKind.AmpersandAmpersandToken) return check(expr.right);
      return [expr];
    }
    // Our words through the translator (@vscode/l10n): the message and its translations are ours
    // (the bundle ships with the extension); what is put into the message is checked like any part.
    if (ts.isTaggedTemplateExpression(expr) && isTranslator(expr.tag)) return []; // its spans are checked on their own
    if (ts.isCallExpression(expr) && isTranslator(expr.expression)) {
      const [message, ...args] = expr.arguments;
      return [...(message && ts.isStringLiteralLike(message) ? [] : [expr]), ...args.flatMap((a) => check(a))];
    }
    if (ts.isCallExpression(expr)) {
      const callee = expr.expression;
      const name = ts.isIdentifier(callee)
        ? callee.text
        : ts.isPropertyAccessExpression(callee)
          ? callee.name.text
          : undefined;
      if (name !== undefined && Object.hasOwn(SAFE_CALLS, name)) return [];
      // String(n) of a number; a string method with literal arguments on a part that passes.
      if (name === 'String' && expr.arguments.every((a) => !isStringish(a))) return [];
      if (
        ts.isPropertyAccessExpression(callee) &&
        STRING_METHODS.includes(callee.name.text) &&
        expr.arguments.every((a) => ts.isLiteralExpression(a))
      )
        return check(callee.expression).length ? [expr] : [];
      const decl = ts.isIdentifier(callee)
        ? aliased(checker.getSymbolAtLocation(callee))?.declarations?.[0]
        : undefined;
      return decl && ts.isFunctionDeclaration(decl) && declaredInMarkdownFile(decl) ? [] : [expr];
    }
    if (ts.isIdentifier(expr)) {
      const decl = aliased(checker.getSymbolAtLocation(expr))?.declarations?.[0];
      if (!decl) return [expr];
      if (ts.isParameter(decl) || ts.isBindingElement(decl)) return /Markdown$/.test(expr.text) ? [] : [expr];
      if (ts.isVariableDeclaration(decl) && decl.initializer && ts.isIdentifier(decl.name)) {
        if (!constants.has(decl)) {
          constants.set(decl, true); // a constant that refers to itself passes on the way round
          constants.set(decl, check(decl.initializer).length === 0);
        }
        return constants.get(decl) ? [] : [expr];
      }
      return [expr];
    }
    if (ts.isPropertyAccessExpression(expr)) {
      const decl = checker.getSymbolAtLocation(expr.name)?.declarations?.[0];
      const owner =
        decl?.parent &&
        (ts.isInterfaceDeclaration(decl.parent) ||
          ts.isClassDeclaration(decl.parent) ||
          ts.isTypeAliasDeclaration(decl.parent))
          ? decl.parent.name?.text
          : decl?.parent && ts.isTypeLiteralNode(decl.parent) && ts.isTypeAliasDeclaration(decl.parent.parent)
            ? decl.parent.parent.name.text
            : undefined;
      return owner && Object.hasOwn(OWN_WORDS, `${owner}.${expr.name.text}`) ? [] : [expr];
    }
    return [expr];
  };
  const aliased = (symbol: ts.Symbol | undefined) =>
    symbol && symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;

  const safeCallee = (call: ts.CallExpression) => {
    const callee = call.expression;
    const name = ts.isIdentifier(callee)
      ? callee.text
      : ts.isPropertyAccessExpression(callee)
        ? callee.name.text
        : undefined;
    return name !== undefined && Object.hasOwn(SAFE_CALLS, name) && name !== 'join';
  };
  const sink = (expr: ts.Expression) => {
    for (const bad of check(expr)) report(bad);
  };
  const visit = (node: ts.Node) => {
    // A screen reader's label is plain text, not markup; a safe call's arguments are its business.
    if (ts.isPropertyAssignment(node) && node.name.getText() === 'accessibility') return;
    if (ts.isCallExpression(node) && safeCallee(node)) return;
    if (ts.isTemplateSpan(node)) sink(node.expression);
    else if (ts.isArrayLiteralExpression(node))
      node.elements.forEach((e) => !ts.isSpreadElement(e) && !ts.isOmittedExpression(e) && sink(e));
    else if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      ['push', 'unshift'].includes(node.expression.name.text)
    )
      node.arguments.forEach(sink);
    else if (ts.isReturnStatement(node) && node.expression) sink(node.expression);
    else if (ts.isArrowFunction(node) && !ts.isBlock(node.body)) sink(node.body);
    else if (ts.isPropertyAssignment(node) && ['tooltip', 'text'].includes(node.name.getText())) sink(node.initializer);
    ts.forEachChild(node, visit);
  };
  for (const file of files) {
    const source = program.getSourceFile(resolve(file));
    if (!source) throw new Error(`not in the program: ${file}`);
    visit(source);
  }
  return [...findings.values()];
}

/** The repository root seen from this file's compiled place (out/test/unit/lint). */
export const repositoryRoot = resolve(dirname(__filename), '../../../..');
