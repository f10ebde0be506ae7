// Whether a sample whose two queries both exited 0 can be trusted. The idle auto-delete deletes
// machines judged idle, so a sample counts only when every line was read and every GPU the machine
// has is in it: an unread row may be the busy GPU or the running process. Anything else is a
// reason, in words a user can act on, and the sample is not evidence of anything.
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
    return `nvidia-smi printed ${plural(skipped, 'line')} this version cannot read${first ? `, the first: ${JSON.stringify(first)}` : ''}`;
  }
  if (gpus.beyondLimit)
    return `nvidia-smi listed ${LIMITS.maxGpus + gpus.beyondLimit} GPUs; this version reads at most ${LIMITS.maxGpus}`;
  if (apps.beyondLimit)
    return `nvidia-smi listed ${LIMITS.maxProcesses + apps.beyondLimit} GPU processes; this version reads at most ${LIMITS.maxProcesses}`;
  const faults = [...gpus.faults, ...apps.faults];
  if (faults.length) return faults.length > 1 ? `${faults[0]}; and more` : faults[0];
  const rows = gpus.rows;
  if (rows.length === 0) return 'nvidia-smi listed no GPU';
  const seen = new Set<number>();
  for (const g of rows) {
    if (seen.has(g.index)) return `nvidia-smi listed GPU ${g.index} twice`;
    seen.add(g.index);
  }
  if (expected && rows.length < expected.gpus) {
    return `nvidia-smi listed ${plural(rows.length, 'GPU')}; ${article(expected.label)} ${expected.label} has ${expected.gpus}`;
  }
  // nvidia-smi numbers GPUs 0, 1, 2… in PCI order: a number left out is a GPU it did not answer for.
  for (let i = 0; i < rows.length; i++) {
    if (!seen.has(i))
      return `nvidia-smi did not list GPU ${i} (it listed ${plural(rows.length, 'GPU')}, up to GPU ${Math.max(...seen)})`;
  }
  return undefined;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** "an 8x H100", "a 1x H100". */
function article(label: string): string {
  return /^(8|11|18|[aeiou])/i.test(label) ? 'an' : 'a';
}
