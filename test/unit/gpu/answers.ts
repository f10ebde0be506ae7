// nvidia-smi answers for the fail-safe tests, made only of the rows and tokens of the real outputs
// in test/fixtures/nvidia-smi (sources in its README.md), framed as the sample command frames them.
import { expectedGpus } from '../../../src/core/instanceTypes';
import type { RunResult } from '../../../src/connections/types';
import { NONCE } from './fakeTransport';
import { fixture } from './fixtures';

const M = `@@fal-gpu-${NONCE}`;

/** The non-empty lines of a fixture. */
export const lines = (name: string): string[] =>
  fixture(name)
    .split('\n')
    .filter((l) => l !== '');

/** What the sample command prints when both queries exit 0 with these lines. */
export function answer(gpuLines: readonly string[], appLines: readonly string[], eol = '\n'): RunResult {
  const text = [...gpuLines, `${M} gpu 0`, ...appLines, `${M} apps 0`, ''].join(eol);
  return { stdout: text, stderr: '', exitCode: 0, truncated: false };
}

/** A real GPU row with another index (the rest as printed). */
export const withIndex = (row: string, index: number): string => row.replace(/^\d+/, String(index));

/** The row with its numeric column `column` (0 = utilization … 5 = power.limit) replaced by `token`. */
export function withCell(row: string, column: number, token: string): string {
  const fields = row.split(', ');
  fields[fields.length - 6 + column] = token;
  return fields.join(', ');
}

/** What the sampler's targets carry for fal's two types (from src/core/instanceTypes.ts). */
export const H100X1 = expectedGpus('gpu_1x_h100_sxm5')!;
export const H100X8 = expectedGpus('gpu_8x_h100_sxm5')!;

/** `[Unknown Error]` as nvidia-smi printed it in a CSV cell (Quake4/MindMiner#627). */
export const UNKNOWN_ERROR = fixture('cells.mindminer-627.csv').trim().split(', ').pop()!;
/** `ERR!` as nvidia-smi printed it for a power draw (Azure/azhpc-diagnostics#77). */
export const ERR = /(ERR!)/.exec(fixture('table.azhpc-diagnostics-77.txt'))![1]!;
/** NVML's line for a GPU it lost (NVIDIA/open-gpu-kernel-modules#387). */
export const LOST_GPU_LINE = fixture('nvml-device-handle.txt').trim();
