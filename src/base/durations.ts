// Durations in words, one style per thing the product says. A span that has lasted (idle for,
// running for, first seen … ago) reads the same everywhere: the tooltip, the reminders, the log.
// A wait counts down to the second, rounded up so it never reads "0 s" while time is left.
import * as l10n from '@vscode/l10n';

const MINUTE_MS = 60_000;

/** How long something has lasted, floored: "40 s", "42 min", "2 h 05 min", "2 h". */
export function spanText(ms: number): string {
  if (ms < MINUTE_MS) return l10n.t`${Math.floor(Math.max(0, ms) / 1000)} s`;
  const minutes = Math.floor(ms / MINUTE_MS);
  if (minutes < 60) return l10n.t`${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m ? l10n.t`${h} h ${String(m).padStart(2, '0')} min` : l10n.t`${h} h`;
}

/** A moment in the past, by how long ago it was: "2 h 05 min ago". */
export function agoText(ms: number): string {
  return l10n.t`${spanText(ms)} ago`;
}

/** A wait fal asked for (Retry-After, rate limits): "45 s", "2 min", "11 min 40 s". */
export function waitText(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  if (seconds < 60) return l10n.t`${seconds} s`;
  const rest = seconds % 60;
  return rest ? l10n.t`${Math.floor(seconds / 60)} min ${rest} s` : l10n.t`${Math.floor(seconds / 60)} min`;
}

/**
 * What is left of the auto-delete countdown, which ticks every second in view: its seconds are
 * padded so the text keeps its width ("9 min 05 s"), and past an hour it reads like a span ("1 h 05 min").
 */
export function countdownLeftText(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  if (seconds < 60) return l10n.t`${seconds} s`;
  if (seconds < 3600) return l10n.t`${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
  return spanText(seconds * 1000);
}

/**
 * A moment on the clock, in the user's locale: "18:30" (or "6:30 PM"), with seconds when a wait is
 * short enough for them to matter ("18:30:15"), and with the weekday when it is not today ("Tue 18:30"),
 * so a lease a day away never reads as a time that seems to have passed.
 */
export function clockText(
  ms: number,
  options: { readonly withSeconds?: boolean; readonly today?: number } = {},
): string {
  const at = new Date(ms);
  const otherDay = options.today !== undefined && new Date(options.today).toDateString() !== at.toDateString();
  return at.toLocaleString([], {
    ...(otherDay ? { weekday: 'short' } : {}),
    hour: '2-digit',
    minute: '2-digit',
    ...(options.withSeconds ? { second: '2-digit' } : {}),
  });
}

const SIZE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

/** A size in decimal units, three significant figures from KB up: "512 B", "12.4 MB", "1.20 GB". */
export function sizeText(bytes: number): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1000 && unit < SIZE_UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  const figure = unit === 0 ? String(Math.round(value)) : value.toPrecision(3);
  return l10n.t('{0} {1}', figure, SIZE_UNITS[unit] ?? 'B');
}

/** A transfer rate: "40.2 MB/s". */
export function rateText(bytesPerSecond: number): string {
  return l10n.t('{0}/s', sizeText(bytesPerSecond));
}
