// Whether a sample whose two queries both exited 0 can be trusted. The idle auto-delete deletes
// machines judged idle, so a sample counts only when every line was read and every GPU the machine
// has is in it: an unread row may be the busy GPU or the running process. Anything else is a
// reason, in words a user can act on, and the sample is not evidence of anything.
import * as l10n from '@vscode/l10n';
import { LIMITS, type Parsed } from './nvidiaSmi';
import type { ExpectedGpus, GpuProcess, GpuReading } from './types';

export function untrustedSampleReason(
  gpus: Parsed<GpuReading>,
  apps: Parsed<GpuProcess>,
  expected?: ExpectedGpus,
): string | undefined {
  const skipped = gpus.skipped + apps.skipped;
  if (skipped) {
    const first = gpus.firstSkipped ?? apps.firstSkipped;
    return first
      ? l10n.t`nvidia-smi printed ${lineCount(skipped)} this version cannot read, the first: ${JSON.stringify(first)}`
      : l10n.t`nvidia-smi printed ${lineCount(skipped)} this version cannot read`;
  }
  if (gpus.beyondLimit)
    return l10n.t`nvidia-smi listed ${LIMITS.maxGpus + gpus.beyondLimit} GPUs; this version reads at most ${LIMITS.maxGpus}`;
  if (apps.beyondLimit)
    return l10n.t`nvidia-smi listed ${LIMITS.maxProcesses + apps.beyondLimit} GPU processes; this version reads at most ${LIMITS.maxProcesses}`;
  const faults = [...gpus.faults, ...apps.faults];
  if (faults.length) return faults.length > 1 ? l10n.t`${faults[0]!}; and more` : faults[0];
  const rows = gpus.rows;
  if (rows.length === 0) return l10n.t('nvidia-smi listed no GPU');
  const seen = new Set<number>();
  for (const g of rows) {
    if (seen.has(g.index)) return l10n.t`nvidia-smi listed GPU ${g.index} twice`;
    seen.add(g.index);
  }
  if (expected && rows.length < expected.gpus) {
    const listed = gpuCount(rows.length);
    return takesAn(expected.label)
      ? l10n.t`nvidia-smi listed ${listed}; an ${expected.label} has ${expected.gpus}`
      : l10n.t`nvidia-smi listed ${listed}; a ${expected.label} has ${expected.gpus}`;
  }
  // nvidia-smi numbers GPUs 0, 1, 2… in PCI order: a number left out is a GPU it did not answer for.
  for (let i = 0; i < rows.length; i++) {
    if (!seen.has(i))
      return l10n.t`nvidia-smi did not list GPU ${i} (it listed ${gpuCount(rows.length)}, up to GPU ${Math.max(...seen)})`;
  }
  return undefined;
}

/** "1 line", "3 lines": each number's whole phrase is one message, so a translation can inflect it. */
function lineCount(n: number): string {
  return n === 1 ? l10n.t`${n} line` : l10n.t`${n} lines`;
}

/** "1 GPU", "3 GPUs". */
function gpuCount(n: number): string {
  return n === 1 ? l10n.t`${n} GPU` : l10n.t`${n} GPUs`;
}

/** Whether English says "an" before the label: "an 8x H100", "a 1x H100". */
function takesAn(label: string): boolean {
  return /^(8|11|18|[aeiou])/i.test(label);
}
