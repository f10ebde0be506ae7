// The GPU view's section of an instance row's tooltip, as markdown: the summary or the state that
// explains why there are no figures, the utilisation history as an image, the idle line. No vscode
// import (unit-tested in plain node). The machine's words go in through markdownText.
import * as l10n from '@vscode/l10n';
import { commandUri, markdownText } from '../core/markdownText';
import { describeState, GPU_STATE_WORDS, gpuSummary, type GpuState, type UtilizationPoint } from '../gpu';
import { clock, idleText } from './gpuPresentation';
import { historySpan, historyText, sparklineDataUri } from './gpuSparkline';

/** The one command a GPU tooltip may run (its MarkdownString trusts only this one). */
import { CHOOSE_KEY_COMMAND } from './schemes';

export { CHOOSE_KEY_COMMAND };

/** The tooltip's GPU section (markdown): the summary or the state, the history image with its text alternative, the idle line. */
export function gpuTooltipMarkdown(input: {
  /** For the "Choose it…" link of the no-key state. */
  readonly id?: string;
  readonly state: GpuState | undefined;
  readonly history: readonly UtilizationPoint[];
  readonly idleSince: number | undefined;
  readonly idle: boolean;
  readonly idleGpuPercent: number;
  readonly now: number;
  readonly windowMs: number;
}): string | undefined {
  const { state, now } = input;
  if (!state) return undefined;
  const lines: string[] = [];
  if (state.kind === 'ok') {
    // A clock time, not "3 s ago": VS Code keeps a built tooltip until the row repaints, and an
    // unchanged sample does not repaint it (gpuRepaint.ts).
    lines.push(l10n.t`**GPUs** ${gpuSummary(state.gpus)} *(sampled at ${clock(state.at)})*`);
  } else if (state.kind === 'noKey' && input.id) {
    lines.push(
      l10n.t`**GPUs** not shown: ${markdownText(GPU_STATE_WORDS.noKey.full({ kind: 'noKey' }))}. [Choose it…](${commandUri(CHOOSE_KEY_COMMAND, [input.id])}) (or Connect once).`,
    );
  } else {
    lines.push(l10n.t`**GPUs** ${markdownText(describeState(state))}`);
  }
  if (input.history.length > 0) {
    // Our own words and numbers only (no remote text), so they need no escaping: the alt text stays clean for screen readers.
    const span = historySpan(input.history, now, input.windowMs);
    const alt = historyText(input.history, span);
    lines.push(`![${alt}](${sparklineDataUri(input.history, now, span, clock(now))})`);
    lines.push(`*${alt}*`);
  }
  if (input.idle && input.idleSince !== undefined) {
    lines.push(
      `$(debug-pause) ${l10n.t`**${idleText(now - input.idleSince)}** (every GPU under ${input.idleGpuPercent} %, no GPU process)`}`,
    );
  }
  return lines.join('\n\n');
}
