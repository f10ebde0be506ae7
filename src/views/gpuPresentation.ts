// What the GPU view shows for one instance, as plain data and markdown text: the row's short
// part, the children (one per GPU, the processes, or the state that explains why there are no
// figures) and the idle wording (the tooltip section is gpuTooltip.ts; each state's words are
// GPU_STATE_WORDS in src/gpu/stateWords.ts). No vscode import but a type (unit-tested in plain
// node); gpuChildren.ts turns these into TreeItems.
import * as l10n from '@vscode/l10n';
import type { Uri } from 'vscode';
import { spanText } from '../base/durations';
import { describeState, figure, MISSING, wordsOf, type GpuProcess, type GpuReading, type GpuState } from '../gpu';

/**
 * What the GPU view adds to a ready row: its part of the description, a twistie when it has
 * children, and (once in the tree, gpuChildren.ts) the URI the idle decoration hangs on.
 */
export interface GpuRowPart {
  readonly description: string;
  /**
   * With live figures, the whole sentence (`8×GPU 95 % · 106/640 GB`) for the screen-reader label; the
   * row then leaves its type out, which the tooltip and the children (one per GPU) say.
   */
  readonly summary?: string;
  readonly expandable: boolean;
  readonly resourceUri?: Uri;
}

/** What clicking a state line does. */
export type GpuAction = 'chooseKey' | 'openSshTerminal' | 'retry';

export interface GpuLine {
  /** Stable within the instance (tree ids, expansion state). */
  readonly key: string;
  readonly label: string;
  readonly description: string;
  readonly tooltip: string;
  /** Codicon id; `~spin` spins. */
  readonly icon: string;
  /** Theme colour id for the icon. */
  readonly iconColor?: string;
  readonly action?: GpuAction;
  /** Lines under this one (the processes under "Processes"). */
  readonly children?: readonly GpuLine[];
}

/** The row's part, by state (GPU_STATE_WORDS); undefined before the first attempt. */
export function gpuRowPart(state: GpuState | undefined): GpuRowPart | undefined {
  const description = state && wordsOf(state).row(state);
  if (!state || description === undefined) return undefined;
  if (state.kind === 'ok') return { description, summary: describeState(state), expandable: true };
  // Connecting has nothing to expand yet.
  return { description, expandable: state.kind !== 'connecting' };
}

/** The children of an expanded row. */
export function gpuLines(state: GpuState | undefined): GpuLine[] {
  if (!state || state.kind === 'connecting') return [];
  if (state.kind === 'ok') return [...state.gpus.map(gpuLine), processesLine(state.processes)];
  return [stateLine(state)];
}

/** How each state's line looks and what clicking it does; its words are GPU_STATE_WORDS'. */
const STATE_LINE_LOOK: Record<
  Exclude<GpuState['kind'], 'ok' | 'connecting'>,
  { icon: string; iconColor: string; action?: GpuAction }
> = {
  noKey: { icon: 'key', iconColor: 'charts.yellow', action: 'chooseKey' },
  hostKeyUnknown: { icon: 'workspace-unknown', iconColor: 'charts.yellow', action: 'openSshTerminal' },
  noNvidiaSmi: { icon: 'warning', iconColor: 'charts.orange' },
  driverFailed: { icon: 'error', iconColor: 'errorForeground' },
  sampleFailed: { icon: 'warning', iconColor: 'charts.orange' },
  sshFailed: { icon: 'debug-disconnect', iconColor: 'errorForeground', action: 'retry' },
};

function stateLine(state: Exclude<GpuState, { kind: 'ok' | 'connecting' }>): GpuLine {
  const words = wordsOf(state);
  const caveat = words.caveat?.(state);
  return {
    key: `state:${state.kind}`,
    ...words.line!(state),
    tooltip: [words.full(state), ...(caveat ? [caveat] : [])].join('\n'),
    ...STATE_LINE_LOOK[state.kind],
  };
}

function gpuLine(g: GpuReading): GpuLine {
  const memory = memoryOf(g.memoryUsedMiB, g.memoryTotalMiB);
  const power =
    g.powerDrawW === undefined && g.powerLimitW === undefined
      ? `${MISSING} W`
      : `${round(g.powerDrawW)}/${round(g.powerLimitW)} W`;
  const util = figure(g.utilizationPercent, ' %');
  const temp = figure(g.temperatureC, ' °C');
  return {
    key: `gpu:${g.index}`,
    label: l10n.t`GPU ${g.index}`,
    // What fits the default sidebar width whole, under a named row: the power is in the tooltip and the report.
    description: `${util} · ${memory} · ${temp}`,
    tooltip: [
      l10n.t`GPU ${g.index}: ${g.name || l10n.t('unnamed')}`,
      l10n.t`Utilisation: ${util}`,
      l10n.t`Memory: ${memory}`,
      l10n.t`Temperature: ${temp}`,
      l10n.t`Power: ${power}`,
    ].join('\n'),
    icon: 'circuit-board',
    ...(g.utilizationPercent !== undefined && g.utilizationPercent >= 50 ? { iconColor: 'charts.green' } : {}),
  };
}

function processesLine(processes: readonly GpuProcess[]): GpuLine {
  if (processes.length === 0) {
    return {
      key: 'processes',
      label: l10n.t('No GPU processes'),
      description: '',
      tooltip: l10n.t('nvidia-smi lists no compute process on these GPUs'),
      icon: 'server-process',
    };
  }
  const totalMiB = processes.reduce((sum, p) => sum + (p.usedMemoryMiB ?? 0), 0);
  return {
    key: 'processes',
    label: processes.length === 1 ? l10n.t`${processes.length} GPU process` : l10n.t`${processes.length} GPU processes`,
    description: `${gib(totalMiB)} GB`,
    tooltip: l10n.t('Compute processes as nvidia-smi lists them (name, pid, GPU memory)'),
    icon: 'server-process',
    children: processes.map(processLine),
  };
}

function processLine(p: GpuProcess, i: number): GpuLine {
  const pid = p.pid === undefined ? l10n.t`pid ${MISSING}` : l10n.t`pid ${p.pid}`;
  const memory = p.usedMemoryMiB === undefined ? `${MISSING} GB` : `${gib(p.usedMemoryMiB)} GB`;
  return {
    key: `process:${i}`,
    label: shortName(p.name) || MISSING,
    // The memory first, whole at the default sidebar width; the GPU (nvidia-smi names it by UUID
    // only, 40 characters that never fit) in the tooltip.
    description: `${memory} · ${pid}`,
    tooltip: [`${p.name || MISSING}`, pid, l10n.t`GPU memory: ${memory}`, l10n.t`GPU: ${p.gpuUuid}`].join('\n'),
    icon: 'gear',
  };
}

/** "idle for 42 min", "idle for 2 h 05 min", "idle for 40 s": the cost guard's reminder says the same span the same way. */
export function idleText(ms: number): string {
  return l10n.t`idle for ${spanText(ms)}`;
}

/** `14:05:09`, the same in every locale. */
export function clock(ms: number): string {
  const d = new Date(ms);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

/** `19/80 GB`, rounded like the row's summary (the report has the exact MiB). */
function memoryOf(usedMiB: number | undefined, totalMiB: number | undefined): string {
  const used = usedMiB === undefined ? MISSING : String(Math.round(usedMiB / 1024));
  const total = totalMiB === undefined ? MISSING : String(Math.round(totalMiB / 1024));
  return `${used}/${total} GB`;
}

/** GiB with one decimal (nvidia-smi's MiB / 1024), as the summary's GB are. */
function gib(mib: number): string {
  return (mib / 1024).toFixed(1);
}

function round(n: number | undefined): string {
  return n === undefined ? MISSING : String(Math.round(n));
}

/** `/opt/conda/bin/python3` → `python3`; Windows paths too. */
function shortName(name: string): string {
  return name.split(/[\\/]/).filter(Boolean).pop() ?? name;
}
