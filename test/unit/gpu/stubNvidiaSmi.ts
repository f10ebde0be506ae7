// A stub `nvidia-smi` for tests that run the real sample command through a real shell (and over
// a real sshd): it replays the real outputs of test/fixtures/nvidia-smi, chosen by a mode file,
// and refuses any other arguments than the two queries of issue 12 and `-L` (npm run smoke:live
// lists the GPUs). Every call is logged.
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES } from './fixtures';

/** The fixture stems it can replay, plus the two failures. */
export type StubMode =
  'h100x1-idle' | 'h100x1-busy' | 'h100x1-mig-busy' | 'h100x8-idle' | 'h100x8-busy' | 'driver-failed' | 'missing';

export interface StubNvidiaSmi {
  /** The directory to put first on the PATH. */
  readonly binDir: string;
  set(mode: StubMode): void;
  /** The argument lines of every call so far. */
  calls(): string[];
}

export function writeStubNvidiaSmi(dir: string): StubNvidiaSmi {
  const binDir = join(dir, 'bin');
  const script = join(binDir, 'nvidia-smi');
  const modeFile = join(dir, 'mode');
  const log = join(dir, 'calls.log');
  mkdirSync(binDir, { recursive: true });
  const text = [
    '#!/bin/sh',
    '# Stub nvidia-smi (test/unit/gpu/stubNvidiaSmi.ts): replays real outputs from test/fixtures/nvidia-smi.',
    `F='${FIXTURES}'`,
    `mode=$(cat '${modeFile}')`,
    `echo "$*" >> '${log}'`,
    'if [ "$mode" = driver-failed ]; then cat "$F/driver-failed.txt"; exit 9; fi',
    'case "$*" in',
    '  "--query-gpu=index,name,utilization.gpu,memory.used,memory.total,temperature.gpu,power.draw,power.limit --format=csv,noheader,nounits")',
    '    cat "$F/query-gpu.$mode.csv" ;;',
    '  "--query-compute-apps=gpu_uuid,pid,process_name,used_memory --format=csv,noheader,nounits")',
    '    cat "$F/query-compute-apps.$mode.csv" ;;',
    '  "-L") cat "$F/list.${mode%%-*}.txt" ;;',
    '  *) echo "stub nvidia-smi: unexpected arguments: $*"; exit 2 ;;',
    'esac',
    '',
  ].join('\n');
  const stub: StubNvidiaSmi = {
    binDir,
    set(mode) {
      writeFileSync(modeFile, mode);
      if (mode === 'missing') rmSync(script, { force: true });
      else if (!existsSync(script)) {
        writeFileSync(script, text);
        chmodSync(script, 0o755);
      }
    },
    calls: () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : []),
  };
  stub.set('h100x1-idle');
  return stub;
}
