// Loaded by the extension host as runTests' extensionTestsPath: times the activation of the one
// extension under development (FAL_BENCH_EXTENSION: fal Compute's dist/extension.js, or the empty
// baseline) and writes it to FAL_BENCH_OUT. With FAL_BENCH_SPLIT=1 it first evaluates the bundle
// itself (the host's loader then finds it in the module cache), so the two parts are timed apart:
// module evaluation, then activate() — the wiring — with a CPU profile of the wiring written to
// FAL_BENCH_OUT's folder (activation.cpuprofile). Then the features activation leaves out are asked
// for once (the spend report opened: dist/features.js required, the features built, the report
// written), and that first need is timed too.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';

function profiled<T>(run: () => Promise<T>): Promise<{ result: T; profile: unknown }> {
  const session = new Session();
  session.connect();
  const post = (method: string, params: object = {}) =>
    new Promise<unknown>((resolve, reject) =>
      session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))),
    );
  return (async () => {
    await post('Profiler.enable');
    await post('Profiler.setSamplingInterval', { interval: 50 });
    await post('Profiler.start');
    const result = await run();
    const { profile } = (await post('Profiler.stop')) as { profile: unknown };
    session.disconnect();
    return { result, profile };
  })();
}

export async function run(): Promise<void> {
  const id = process.env.FAL_BENCH_EXTENSION ?? 'fal-compute-community.fal-compute';
  const ext = vscode.extensions.getExtension(id);
  if (!ext) throw new Error(`extension ${id} not found`);
  if (ext.isActive) throw new Error(`${id} is already active: the measurement would be meaningless`);
  const out = process.env.FAL_BENCH_OUT;
  if (process.env.FAL_BENCH_SPLIT === '1') {
    const main = join(ext.extensionPath, (ext.packageJSON as { main: string }).main);
    const e0 = performance.now();
    require(main);
    const evaluationMs = performance.now() - e0;
    const { result: wiringMs, profile } = await profiled(async () => {
      const t0 = performance.now();
      await ext.activate();
      return performance.now() - t0;
    });
    const f0 = performance.now();
    await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: 'fal-spend', path: '/fal Compute spend.md' }));
    const firstNeedMs = performance.now() - f0;
    if (out) {
      writeFileSync(join(dirname(out), 'activation.cpuprofile'), JSON.stringify(profile));
      writeFileSync(out, JSON.stringify({ evaluationMs, wiringMs, firstNeedMs }));
    }
    return;
  }
  const t0 = performance.now();
  await ext.activate();
  const activationMs = performance.now() - t0;
  if (out) writeFileSync(out, JSON.stringify({ activationMs }));
}
