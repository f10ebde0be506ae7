// The text of "fal: Show GPU Usage…": one instance's GPUs as a table, its GPU processes, and the
// raw nvidia-smi output the figures were read from. No vscode import (unit-tested in plain node).
import * as l10n from '@vscode/l10n';
import { describeState, figure, gpuSummary, MISSING, wordsOf, type GpuState, type UtilizationPoint } from '../gpu';
import { historySpan, historyText } from './gpuSparkline';

export interface ReportInput {
  readonly id: string;
  readonly title: string;
  readonly ip: string | undefined;
  readonly state: GpuState | undefined;
  readonly history: readonly UtilizationPoint[];
  readonly idleText: string | undefined;
  readonly now: number;
  /** Why the figures may be old (e.g. sampling paused); shown under the heading. */
  readonly note?: string;
}

export function gpuReportText(r: ReportInput): string {
  // The id first: the editor's cursor starts on it, and its word highlight then marks nothing else.
  const out: string[] = [
    r.ip ? l10n.t`${r.id}: GPU usage of the ${r.title} at ${r.ip}` : l10n.t`${r.id}: GPU usage of the ${r.title}`,
    '',
  ];
  if (r.note) out.push(r.note, '');
  const { state } = r;
  if (!state) {
    out.push(l10n.t('No sample yet. Use the refresh button in the editor title to take one.'));
    return `${out.join('\n')}\n`;
  }
  if (state.kind !== 'ok') {
    const words = wordsOf(state);
    const caveat = words.caveat?.(state);
    out.push(l10n.t`State: ${describeState(state)}`);
    if (words.advice) out.push('', words.advice);
    if (caveat) out.push('', caveat);
    if (state.kind === 'sampleFailed' && state.raw !== undefined) out.push('', ...rawSection(state.raw));
    return `${out.join('\n')}\n`;
  }
  out.push(l10n.t`Sampled ${new Date(state.at).toLocaleString()}: ${gpuSummary(state.gpus)}`);
  if (r.idleText) out.push(l10n.t`Idle: ${r.idleText}`);
  out.push(historyText(r.history, historySpan(r.history, r.now, 600_000)), '');
  out.push(
    ...table(
      [
        l10n.t('GPU'),
        l10n.t('Name'),
        l10n.t('Util'),
        l10n.t('Memory used / total'),
        l10n.t('Temp'),
        l10n.t('Power / limit'),
      ],
      state.gpus.map((g) => [
        String(g.index),
        g.name || MISSING,
        figure(g.utilizationPercent, ' %'),
        `${figure(g.memoryUsedMiB, ' MiB')} / ${figure(g.memoryTotalMiB, ' MiB')}`,
        figure(g.temperatureC, ' °C'),
        `${asPrinted(g.powerDrawW, ' W')} / ${asPrinted(g.powerLimitW, ' W')}`,
      ]),
    ),
  );
  out.push('', l10n.t`GPU processes (${state.processes.length})`);
  if (state.processes.length === 0) out.push(`  ${l10n.t('none')}`);
  else
    out.push(
      ...table(
        [l10n.t('PID'), l10n.t('Process'), l10n.t('GPU memory'), l10n.t('GPU UUID')],
        state.processes.map((p) => [
          p.pid === undefined ? MISSING : String(p.pid),
          p.name || MISSING,
          figure(p.usedMemoryMiB, ' MiB'),
          p.gpuUuid,
        ]),
      ),
    );
  out.push('', ...rawSection(state.raw));
  return `${out.join('\n')}\n`;
}

function rawSection(raw: string): string[] {
  return [
    l10n.t('Raw nvidia-smi output (both queries; the @@fal-gpu lines are the exit codes):'),
    '',
    raw.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '?').trimEnd(),
  ];
}

/** The number as nvidia-smi printed it (631.95 stays 631.95), or "—". */
function asPrinted(n: number | undefined, unit: string): string {
  return n === undefined ? MISSING : `${n}${unit}`;
}

/** A plain-text table, columns padded to their widest cell. */
function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    `  ${cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd()}`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}
