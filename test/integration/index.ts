// The test module the extension host loads (runTests' extensionTestsPath): runs mocha over
// out/test/integration/**/*.test.js inside the real extension host, where `vscode` resolves.
// Reports through test/support/summary-reporter (spec output + FAL_TEST_SUMMARY); the workbench
// turns a rejected run() into exit code 1.
import Mocha from 'mocha';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import SummaryReporter from '../support/summary-reporter';

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? testFiles(join(dir, e.name)) : e.name.endsWith('.test.js') ? [join(dir, e.name)] : [],
    )
    .sort();
}

export function run(): Promise<void> {
  // Under the code-server shim the extension host's console reaches the test runner only through
  // the browser's console, mixed with the workbench's own log lines: mark mocha's lines so the
  // shim can pick them out (FAL_TEST_CONSOLE_MARK is set by shim.ts).
  const mark = process.env.FAL_TEST_CONSOLE_MARK;
  if (mark) Mocha.reporters.Base.consoleLog = (...args: unknown[]) => console.log(`${mark}${format(...args)}`);
  const mocha = new Mocha({ ui: 'bdd', timeout: 20_000, color: false, reporter: SummaryReporter });
  const files = testFiles(__dirname);
  for (const f of files) mocha.addFile(f);
  return new Promise((resolve, reject) => {
    if (files.length === 0) {
      reject(new Error(`no *.test.js files under ${__dirname}`));
      return;
    }
    try {
      mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} test(s) failed`)) : resolve()));
    } catch (e) {
      reject(e instanceof Error ? e : new Error(String(e)));
    }
  });
}
