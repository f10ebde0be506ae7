// What the GPU view shows for one instance, as plain data and markdown text: the row's short
// part, the children (one per GPU, the processes, or the state that explains why there are no
// figures) and the idle wording (the tooltip section is gpuTooltip.ts). No vscode import (unit-tested in plain node);
// gpuChildren.ts turns these into TreeItems.
import { spanText } from '../base/durations';
import { describeState, figure, gpuSummary, MISSING, type GpuProcess, type GpuReading, type GpuState } from '../gpu';

/** What a ready row gains: its part of the description ('' for none); expandable when it has children. */
export interface GpuRowPart {
  readonly description: string;
  readonly expandable: boolean;
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

/** The row's part, by state. Each state has its own words; undefined before the first attempt. */
export function gpuRowPart(state: GpuState | undefined): GpuRowPart | undefined {
  if (!state) return undefined;
  switch (state.kind) {
    case 'ok':
      return { description: gpuSummary(state.gpus), expandable: true };
    case 'connecting':
      return { description: 'GPU: connecting…', expandable: false };
    case 'noKey':
      // Often every teammate's machine: no words and no twistie (an expandable row costs every row
      // of the tree the twistie's width); the tooltip says it, with the action.
      return undefined;
    case 'hostKeyUnknown':
      return { description: 'GPU: host key unknown', expandable: true };
    case 'noNvidiaSmi':
      return { description: 'GPU: nvidia-smi not found', expandable: true };
    case 'driverFailed':
      return { description: 'GPU: driver not responding', expandable: true };
    case 'sampleFailed':
      return { description: state.raw === undefined ? 'GPU: nvidia-smi failed' : 'GPU: unreadable', expandable: true };
    case 'sshFailed':
      return { description: 'GPU: SSH failed', expandable: true };
  }
}

/** The children of an expanded row. */
export function gpuLines(state: GpuState | undefined): GpuLine[] {
  if (!state || state.kind === 'connecting') return [];
  if (state.kind === 'ok') return [...state.gpus.map(gpuLine), processesLine(state.processes, state.gpus.length)];
  return [stateLine(state)];
}

function stateLine(state: Exclude<GpuState, { kind: 'ok' | 'connecting' }>): GpuLine {
  const full = describeState(state);
  const line = (label: string, description: string, icon: string, iconColor: string, action?: GpuAction): GpuLine => ({
    key: `state:${state.kind}`,
    label,
    description,
    tooltip: full,
    icon,
    iconColor,
    ...(action ? { action } : {}),
  });
  switch (state.kind) {
    case 'noKey':
      return line('No private key known for this instance', 'click to choose one', 'key', 'charts.yellow', 'chooseKey');
    case 'hostKeyUnknown':
      return line('Host key not known yet: connect once', 'click to open SSH in a terminal', 'workspace-unknown', 'charts.yellow', 'openSshTerminal');
    case 'noNvidiaSmi':
      return line('nvidia-smi not found', state.message, 'warning', 'charts.orange');
    case 'driverFailed':
      return line('NVIDIA driver not responding', state.message, 'error', 'errorForeground');
    case 'sampleFailed':
      if (state.raw === undefined) return line('nvidia-smi failed', state.message, 'warning', 'charts.orange');
      return { ...line('GPU figures unreadable', state.message, 'warning', 'charts.orange'), tooltip: `${full}\nNot counted as idle until a sample reads in full.` };
    case 'sshFailed':
      return line(`SSH failed: ${state.reason}`, 'click to retry', 'debug-disconnect', 'errorForeground', 'retry');
  }
}

function gpuLine(g: GpuReading): GpuLine {
  const memory = memoryOf(g.memoryUsedMiB, g.memoryTotalMiB);
  const power = g.powerDrawW === undefined && g.powerLimitW === undefined ? `${MISSING} W` : `${round(g.powerDrawW)}/${round(g.powerLimitW)} W`;
  const util = figure(g.utilizationPercent, ' %');
  const temp = figure(g.temperatureC, ' °C');
  return {
    key: `gpu:${g.index}`,
    label: `GPU ${g.index}`,
    description: `${util} · ${memory} · ${temp} · ${power}`,
    tooltip: [`GPU ${g.index}: ${g.name || 'unnamed'}`, `Utilisation: ${util}`, `Memory: ${memory}`, `Temperature: ${temp}`, `Power: ${power}`].join('\n'),
    icon: 'circuit-board',
    ...(g.utilizationPercent !== undefined && g.utilizationPercent >= 50 ? { iconColor: 'charts.green' } : {}),
  };
}

function processesLine(processes: readonly GpuProcess[], gpuCount: number): GpuLine {
  if (processes.length === 0) {
    return { key: 'processes', label: 'No GPU processes', description: '', tooltip: 'nvidia-smi lists no compute process on these GPUs', icon: 'server-process' };
  }
  const totalMiB = processes.reduce((sum, p) => sum + (p.usedMemoryMiB ?? 0), 0);
  return {
    key: 'processes',
    label: `${processes.length} GPU process${processes.length === 1 ? '' : 'es'}`,
    description: `${gib(totalMiB)} GB`,
    tooltip: 'Compute processes as nvidia-smi lists them (name, pid, GPU memory)',
    icon: 'server-process',
    children: processes.map((p, i) => processLine(p, i, gpuCount)),
  };
}

function processLine(p: GpuProcess, i: number, gpuCount: number): GpuLine {
  const pid = p.pid === undefined ? `pid ${MISSING}` : `pid ${p.pid}`;
  const memory = p.usedMemoryMiB === undefined ? `${MISSING} GB` : `${gib(p.usedMemoryMiB)} GB`;
  // nvidia-smi names the GPU by UUID only; with one GPU that says nothing.
  const where = gpuCount > 1 ? ` · ${p.gpuUuid.slice(0, 12)}…` : '';
  return {
    key: `process:${i}`,
    label: shortName(p.name) || MISSING,
    description: `${pid} · ${memory}${where}`,
    tooltip: [`${p.name || MISSING}`, pid, `GPU memory: ${memory}`, `GPU: ${p.gpuUuid}`].join('\n'),
    icon: 'gear',
  };
}

/** "idle for 42 min", "idle for 2 h 05 min", "idle for 40 s": the cost guard's reminder says the same span the same way. */
export function idleText(ms: number): string {
  return `idle for ${spanText(ms)}`;
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

