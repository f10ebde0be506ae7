// The tooltip's 10-minute utilisation history as a small SVG image. VS Code hovers render markdown
// images with data: URIs but not inline <svg>, so the SVG travels base64-encoded; its alt text
// says the same in words (screen readers, and hovers that do not load images). No vscode import:
// unit-tested in plain node.
import * as l10n from '@vscode/l10n';
import type { UtilizationPoint } from '../gpu';

export const SPARK_WIDTH = 240;
/** The plot's height; a caption line ("1 min ago … now") sits under it. */
export const SPARK_HEIGHT = 36;
const CAPTION = 14;
/** Room above 100 % so a busy line does not merge into the frame. */
const TOP = 3;
/** The shortest span drawn: a history of a few samples still reads as a line, not a sliver. */
export const MIN_SPAN_MS = 60_000;

/**
 * The time the image spans: the history's own age, from 1 minute up to the window (10 minutes).
 * A young history is drawn over its own span (and labelled so) instead of as a sliver at the
 * right edge of an empty 10-minute frame.
 */
export function historySpan(points: readonly UtilizationPoint[], now: number, windowMs: number): number {
  const oldest = points.find((p) => p.at >= now - windowMs)?.at ?? now;
  return Math.min(windowMs, Math.max(MIN_SPAN_MS, now - oldest));
}

/** "10 min", "1 min", "90 s". */
export function windowText(ms: number): string {
  const s = Math.round(ms / 1000);
  return s % 60 === 0 ? `${s / 60} min` : s < 120 ? `${s} s` : `${Math.round(s / 60)} min`;
}
/** A gap longer than this between two points is drawn as a gap (nobody looked, nothing is known). */
const MAX_JOIN_MS = 90_000;

/** The polyline runs, each a list of "x,y": a point without a figure (MIG, failure) or a long gap splits a run. */
export function sparklineRuns(points: readonly UtilizationPoint[], now: number, windowMs: number): string[][] {
  const runs: string[][] = [];
  let run: string[] = [];
  let lastAt: number | undefined;
  for (const p of points) {
    if (p.at < now - windowMs || p.at > now) continue;
    if (p.percent === undefined || (lastAt !== undefined && p.at - lastAt > MAX_JOIN_MS)) {
      if (run.length) runs.push(run);
      run = [];
    }
    lastAt = p.at;
    if (p.percent === undefined) continue;
    const x = ((p.at - (now - windowMs)) / windowMs) * SPARK_WIDTH;
    const y = SPARK_HEIGHT - 1 - (Math.min(100, Math.max(0, p.percent)) / 100) * (SPARK_HEIGHT - 1 - TOP);
    run.push(`${x.toFixed(1)},${y.toFixed(1)}`);
  }
  if (run.length) runs.push(run);
  return runs;
}

/** The SVG: a faint frame with a 50 % line, and the utilisation as filled runs. Colours read on dark and light themes. */
export function sparklineSvg(
  points: readonly UtilizationPoint[],
  now: number,
  windowMs: number,
  endLabel = l10n.t('now'),
): string {
  const w = SPARK_WIDTH;
  const h = SPARK_HEIGHT;
  const caption = `font-family="sans-serif" font-size="10" fill="#808080"`;
  const shapes = sparklineRuns(points, now, windowMs).map((run) => {
    // A single point is drawn as a short tick, so one sample is visible at all.
    const pts =
      run.length === 1 ? [run[0]!, `${(Number(run[0]!.split(',')[0]) + 2).toFixed(1)},${run[0]!.split(',')[1]}`] : run;
    const firstX = pts[0]!.split(',')[0];
    const lastX = pts[pts.length - 1]!.split(',')[0];
    return (
      // l10n-exempt: SVG markup (element and attribute names), no words
      `<polygon points="${firstX},${h - 1} ${pts.join(' ')} ${lastX},${h - 1}" fill="#3794ff" fill-opacity="0.25"/>` +
      // l10n-exempt: SVG markup (element and attribute names), no words
      `<polyline points="${pts.join(' ')}" fill="none" stroke="#3794ff" stroke-width="1.5" stroke-linejoin="round"/>`
    );
  });
  return (
    // l10n-exempt: SVG markup (element and attribute names), no words
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h + CAPTION}" viewBox="0 0 ${w} ${h + CAPTION}">` +
    // l10n-exempt: SVG markup (element and attribute names), no words
    `<rect x="0.5" y="0.5" width="${w - 1}" height="${h - 1}" fill="none" stroke="#808080" stroke-opacity="0.5"/>` +
    // l10n-exempt: SVG markup (element and attribute names), no words
    `<line x1="0" y1="${(h + TOP) / 2}" x2="${w}" y2="${(h + TOP) / 2}" stroke="#808080" stroke-opacity="0.3" stroke-dasharray="2 3"/>` +
    shapes.join('') +
    // l10n-exempt: SVG markup (element and attribute names); the caption's words are translated inside it
    `<text x="1" y="${h + CAPTION - 3}" ${caption}>${l10n.t`${windowText(windowMs)} ago`}</text>` +
    // l10n-exempt: SVG markup (element and attribute names); the caption is endLabel, translated by the caller
    `<text x="${w - 1}" y="${h + CAPTION - 3}" text-anchor="end" ${caption}>${endLabel}</text>` +
    '</svg>'
  );
}

export function sparklineDataUri(
  points: readonly UtilizationPoint[],
  now: number,
  windowMs: number,
  endLabel?: string,
): string {
  return `data:image/svg+xml;base64,${Buffer.from(sparklineSvg(points, now, windowMs, endLabel)).toString('base64')}`;
}

/** The history in words: the text alternative of the image (`spanMs`: what the image spans). */
export function historyText(points: readonly UtilizationPoint[], spanMs: number): string {
  const known = points.map((p) => p.percent).filter((p): p is number => p !== undefined);
  if (known.length === 0) return l10n.t`GPU utilisation, last ${windowText(spanMs)}: no figures yet`;
  const mean = known.reduce((a, b) => a + b, 0) / known.length;
  const pct = (n: number) => `${Math.round(n)} %`;
  const span = windowText(spanMs);
  const last = pct(known[known.length - 1]!);
  const average = pct(mean);
  const min = pct(Math.min(...known));
  const max = pct(Math.max(...known));
  return known.length === 1
    ? l10n.t`GPU utilisation, last ${span}: now ${last}, mean ${average}, min ${min}, max ${max} (${known.length} sample)`
    : l10n.t`GPU utilisation, last ${span}: now ${last}, mean ${average}, min ${min}, max ${max} (${known.length} samples)`;
}
