// Each GPU state's words, in one table, for every place that says it: the row's short part, the
// line under the row, the whole sentence (the tooltip, the report, the cost guard's refusal), the
// report's advice, a caveat. A state's words side by side, so a change to one is seen with the rest.
// Every word is made when it is asked for (each entry is a function, `advice` a getter), never when
// the module loads: extension.ts gives l10n its bundle after the imports ran.
import * as l10n from '@vscode/l10n';
import { gpuRowFigures, gpuSummary } from './summary';
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
  // The row's figures stand without the type after them (instanceDescription): they are what fits.
  ok: { row: (s) => gpuRowFigures(s.gpus), full: (s) => gpuSummary(s.gpus) },
  connecting: { row: () => l10n.t('GPU: connecting…'), full: () => l10n.t('connecting…') },
  noKey: {
    // Often every teammate's machine: no words and no twistie (an expandable row costs every row
    // of the tree the twistie's width); the tooltip says it, with the action.
    row: () => undefined,
    full: () => l10n.t('no private key known for this instance'),
    line: () => ({
      label: l10n.t('No private key known for this instance'),
      description: l10n.t('click to choose one'),
    }),
    get advice() {
      return l10n.t(
        'Connect once (or click the row\'s "No private key known" line) to choose the private key of this instance.',
      );
    },
  },
  hostKeyUnknown: {
    row: () => l10n.t('GPU: host key unknown'),
    full: () => l10n.t('host key not known yet: connect once first'),
    line: () => ({
      label: l10n.t('Host key not known yet: connect once'),
      description: l10n.t('click to open SSH in a terminal'),
    }),
    get advice() {
      return l10n.t(
        'Connect once (Connect, or Open SSH in Terminal) so its host key is learned; then the GPUs can be sampled.',
      );
    },
  },
  noNvidiaSmi: {
    row: () => l10n.t('GPU: nvidia-smi not found'),
    full: () => l10n.t('nvidia-smi not found'),
    line: (s) => ({ label: l10n.t('nvidia-smi not found'), description: s.message }),
  },
  driverFailed: {
    row: () => l10n.t('GPU: driver not responding'),
    full: (s) => l10n.t`NVIDIA driver not responding: ${s.message}`,
    line: (s) => ({ label: l10n.t('NVIDIA driver not responding'), description: s.message }),
  },
  sampleFailed: {
    row: (s) => (unreadable(s) ? l10n.t('GPU: unreadable') : l10n.t('GPU: nvidia-smi failed')),
    full: (s) =>
      unreadable(s) ? l10n.t`GPU figures unreadable: ${s.message}` : l10n.t`nvidia-smi failed: ${s.message}`,
    line: (s) => ({
      label: unreadable(s) ? l10n.t('GPU figures unreadable') : l10n.t('nvidia-smi failed'),
      description: s.message,
    }),
    caveat: (s) => (unreadable(s) ? l10n.t('Not counted as idle until a sample reads in full.') : undefined),
  },
  sshFailed: {
    row: () => l10n.t('GPU: SSH failed'),
    full: (s) => l10n.t`SSH failed: ${s.reason}`,
    line: (s) => ({ label: l10n.t`SSH failed: ${s.reason}`, description: l10n.t('click to retry') }),
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
