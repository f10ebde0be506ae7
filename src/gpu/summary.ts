// The short text a ready row shows: `GPU 87 % · 61/80 GB` for one GPU, `8×GPU 64 % · 402/640 GB`
// for eight (mean utilisation, summed memory). A figure nvidia-smi did not give is "—".
import * as l10n from '@vscode/l10n';
import type { GpuReading } from './types';

export const MISSING = '—';

export function gpuSummary(gpus: readonly GpuReading[]): string {
  if (gpus.length === 0) return l10n.t`GPU ${MISSING}`;
  const label = gpus.length === 1 ? 'GPU' : `${gpus.length}×GPU`;
  const util = meanUtilization(gpus);
  return `${label} ${util === undefined ? MISSING : `${Math.round(util)} %`} · ${memoryText(gpus)}`;
}

/** Mean utilisation over the GPUs that reported one; undefined when none did (MIG mode, `[N/A]`). */
export function meanUtilization(gpus: readonly GpuReading[]): number | undefined {
  const known = gpus.map((g) => g.utilizationPercent).filter((u): u is number => u !== undefined);
  return known.length === 0 ? undefined : known.reduce((a, b) => a + b, 0) / known.length;
}

/**
 * `used/total GB`, or "—" unless every GPU reported both. GB here is GiB, as nvidia-smi's MiB
 * are: an H100's 81559 MiB is 79.6 GiB, shown as "80" because each card's total is rounded on
 * its own (what the card is sold as); eight of them are "640".
 */
function memoryText(gpus: readonly GpuReading[]): string {
  let used = 0;
  let total = 0;
  for (const g of gpus) {
    if (g.memoryUsedMiB === undefined || g.memoryTotalMiB === undefined) return `${MISSING} GB`;
    used += g.memoryUsedMiB;
    total += Math.round(g.memoryTotalMiB / 1024);
  }
  return `${Math.round(used / 1024)}/${total} GB`;
}

/** A field for a per-GPU line: the number with its unit, or "—". */
export function figure(value: number | undefined, unit: string, digits = 0): string {
  return value === undefined ? MISSING : `${value.toFixed(digits)}${unit}`;
}
