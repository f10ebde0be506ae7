// Loaded by the extension host as runTests' extensionTestsPath: times the extension's activation
// (loading dist/extension.js and running activate()) and writes the result to FAL_BENCH_OUT.
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';

export async function run(): Promise<void> {
  const ext = vscode.extensions.getExtension('fal-compute-community.fal-compute');
  if (!ext) throw new Error('extension not found');
  if (ext.isActive) throw new Error('already active: the measurement would be meaningless');
  const t0 = performance.now();
  await ext.activate();
  const activationMs = performance.now() - t0;
  const out = process.env.FAL_BENCH_OUT;
  if (out) writeFileSync(out, JSON.stringify({ activationMs }));
}
