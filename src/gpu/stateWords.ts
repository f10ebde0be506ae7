// Each GPU state's words, in one table, for every place that says it: the row's short part, the
// line under the row, the whole sentence (the tooltip, the report, the cost guard's refusal), the
// report's advice, a caveat. A state's words side by side, so a change to one is seen with the rest.
import { gpuSummary } from './summary';
import type { GpuState } from './types';

type StateOf<K extends GpuState['kind']> = Extract<GpuState, { kind: K }>;

export interface GpuStateWords<S extends GpuState> {
  /** The row's part of the description; undefined: the row gains nothing (no words, no twistie). */
  readonly row: (state: S) => string | undefined;
  /** The whole sentence. */
  readonly full: (state: S) => string;
  /** The line under the row that explains a state without figures: its label and description. */
  readonly line?: (state: S) => { readonly label: string; readonly description: string };
  /** What the user can do about it, for the report. */
  readonly advice?: string;
  /** What the figures' absence means, for the line's tooltip and the report. */
  readonly caveat?: (state: S) => string | undefined;
}

// With `raw`, nvidia-smi answered (exit 0) but the answer could not be trusted: it did not fail.
const unreadable = (s: StateOf<'sampleFailed'>) => s.raw !== undefined;

export const GPU_STATE_WORDS: { readonly [K in GpuState['kind']]: GpuStateWords<StateOf<K>> } = {
  ok: { row: (s) => gpuSummary(s.gpus), full: (s) => gpuSummary(s.gpus) },
  connecting: { row: () => 'GPU: connecting…', full: () => 'connecting…' },
  noKey: {
    // Often every teammate's machine: no words and no twistie (an expandable row costs every row
    // of the tree the twistie's width); the tooltip says it, with the action.
    row: () => undefined,
    full: () => 'no private key known for this instance',
    line: () => ({ label: 'No private key known for this instance', description: 'click to choose one' }),
    advice:
      'Connect once (or click the row\'s "No private key known" line) to choose the private key of this instance.',
  },
  hostKeyUnknown: {
    row: () => 'GPU: host key unknown',
    full: () => 'host key not known yet: connect once first',
    line: () => ({ label: 'Host key not known yet: connect once', description: 'click to open SSH in a terminal' }),
    advice: 'Connect once (Connect, or Open SSH in Terminal) so its host key is learned; then the GPUs can be sampled.',
  },
  noNvidiaSmi: {
    row: () => 'GPU: nvidia-smi not found',
    full: () => 'nvidia-smi not found',
    line: (s) => ({ label: 'nvidia-smi not found', description: s.message }),
  },
  driverFailed: {
    row: () => 'GPU: driver not responding',
    full: (s) => `NVIDIA driver not responding: ${s.message}`,
    line: (s) => ({ label: 'NVIDIA driver not responding', description: s.message }),
  },
  sampleFailed: {
    row: (s) => (unreadable(s) ? 'GPU: unreadable' : 'GPU: nvidia-smi failed'),
    full: (s) => `${unreadable(s) ? 'GPU figures unreadable' : 'nvidia-smi failed'}: ${s.message}`,
    line: (s) => ({ label: unreadable(s) ? 'GPU figures unreadable' : 'nvidia-smi failed', description: s.message }),
    caveat: (s) => (unreadable(s) ? 'Not counted as idle until a sample reads in full.' : undefined),
  },
  sshFailed: {
    row: () => 'GPU: SSH failed',
    full: (s) => `SSH failed: ${s.reason}`,
    line: (s) => ({ label: `SSH failed: ${s.reason}`, description: 'click to retry' }),
  },
};

/** The table's entry for a state, typed for that state. */
export function wordsOf<S extends GpuState>(state: S): GpuStateWords<S> {
  return GPU_STATE_WORDS[state.kind] as unknown as GpuStateWords<S>;
}

/** The whole sentence for a state: the summary when `ok`, else what went wrong in the user's words. */
export function describeState(state: GpuState): string {
  return wordsOf(state).full(state);
}
