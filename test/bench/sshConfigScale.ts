// Adding our Include line to a 5,000-host SSH config and the idempotent re-check (what Connect does
// each time), median of 5 in this process: the number the corpus test used to assert in wall-clock
// time, which a loaded machine made flaky. Measured here instead, as every timing is.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureInclude, removeInclude } from '../../src/ssh';
import { manyHosts } from '../unit/ssh/fixtures/sshConfigCorpus';

export async function measureSshConfigScale(hosts = 5000, runs = 5): Promise<{ addMs: number; checkMs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'fal-bench-sshconfig-'));
  try {
    const sshDir = join(dir, '.ssh');
    mkdirSync(sshDir, { mode: 0o700 });
    const config = join(sshDir, 'config');
    const managed = join(sshDir, 'fal', 'config');
    writeFileSync(config, manyHosts(hosts));
    const adds: number[] = [];
    const checks: number[] = [];
    for (let i = 0; i < runs; i++) {
      let started = performance.now();
      await ensureInclude(config, managed, dir);
      adds.push(performance.now() - started);
      started = performance.now();
      await ensureInclude(config, managed, dir);
      checks.push(performance.now() - started);
      await removeInclude(config, managed, dir);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    return { addMs: median(adds), checkMs: median(checks) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
