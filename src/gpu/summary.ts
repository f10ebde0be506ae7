// A ready machine's GPU figures in two lengths. The summary, for the tooltip, the report and the
// screen-reader label: `GPU 87 % · 61/80 GB` for one GPU, `8×GPU 64 % · 402/640 GB` for eight (mean
// utilisation, summed memory). The row's figures, `64 % · 402G`, have the least room: at 1440×900 with
// the default sidebar width, after a name of 18 characters and beside the row's inline action, about
// 83 px, 60 px with the idle badge (`95 % · 106G` takes 72, `0 % · 0G` 50, `95 % · 106 GB` 84). So
// the row leaves the count and the total to its tooltip and its children (one per GPU, each with its
// total), and says `G` for ` GB`, as `free -h` does. A figure nvidia-smi did not give is "—".
import * as l10n from '@vscode/l10n';
import type { GpuReading } from './types';

export const MISSING = '—';

export function gpuSummary(gpus: readonly GpuReading[]): string {
  if (gpus.length === 0) return l10n.t`GPU ${MISSING}`;
  const label = gpus.length === 1 ? 'GPU' : `${gpus.length}×GPU`;
  return `${label} ${utilizationText(gpus)} · ${memoryText(gpus)}`;
}

/** The row's figures: mean utilisation and the memory in use, `64 % · 402G`; with no GPU, the summary. */
export function gpuRowFigures(gpus: readonly GpuReading[]): string {
  if (gpus.length === 0) return gpuSummary(gpus);
  const used = memoryUsed(gpus);
  return `${utilizationText(gpus)} · ${used === undefined ? MISSING : `${used}G`}`;
}

function utilizationText(gpus: readonly GpuReading[]): string {
  const util = meanUtilization(gpus);
  return util === undefined ? MISSING : `${Math.round(util)} %`;
}

/** Mean utilisation over the GPUs that reported one; undefined when none did (MIG mode, `[N/A]`). */
export function meanUtilization(gpus: readonly GpuReading[]): number | undefined {
  const known = gpus.map((g) => g.utilizationPercent).filter((u): u is number => u !== undefined);
  return known.length === 0 ? undefined : known.reduce((a, b) => a + b, 0) / known.length;
}

/**
 * `used/total GB`, or "— GB" unless every GPU reported both. GB here is GiB, as nvidia-smi's MiB
 * are: an H100's 81559 MiB is 79.6 GiB, shown as "80" because each card's total is rounded on
 * its own (what the card is sold as); eight of them are "640".
 */
function memoryText(gpus: readonly GpuReading[]): string {
  const used = memoryUsed(gpus);
  if (used === undefined) return `${MISSING} GB`;
  const total = gpus.reduce((sum, g) => sum + Math.round(g.memoryTotalMiB! / 1024), 0);
  return `${used}/${total} GB`;
}

/** The GiB in use on all the GPUs, rounded; undefined unless every GPU reported its used and total memory. */
function memoryUsed(gpus: readonly GpuReading[]): number | undefined {
  if (gpus.some((g) => g.memoryUsedMiB === undefined || g.memoryTotalMiB === undefined)) return undefined;
  return Math.round(gpus.reduce((sum, g) => sum + g.memoryUsedMiB!, 0) / 1024);
}

/** A field for a per-GPU line: the number with its unit, or "—". */
export function figure(value: number | undefined, unit: string, digits = 0): string {
  return value === undefined ? MISSING : `${value.toFixed(digits)}${unit}`;
}
