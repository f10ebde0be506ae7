// Loaded by the extension host as runTests' extensionTestsPath: times the activation of the one
// extension under development (FAL_BENCH_EXTENSION: fal Compute's dist/extension.js, or the empty
// baseline) and writes it to FAL_BENCH_OUT.
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';

export async function run(): Promise<void> {
  const id = process.env.FAL_BENCH_EXTENSION ?? 'fal-compute-community.fal-compute';
  const ext = vscode.extensions.getExtension(id);
  if (!ext) throw new Error(`extension ${id} not found`);
  if (ext.isActive) throw new Error(`${id} is already active: the measurement would be meaningless`);
  const t0 = performance.now();
  await ext.activate();
  const activationMs = performance.now() - t0;
  const out = process.env.FAL_BENCH_OUT;
  if (out) writeFileSync(out, JSON.stringify({ activationMs }));
}
