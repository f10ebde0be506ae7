// Parses the two nvidia-smi queries the sampler runs, and classifies its failures. Pure and total:
// any input (huge, binary, truncated, CRLF, commas in names) gives a bounded result, never throws.
//
// nvidia-smi's CSV is not RFC 4180: fields are separated by ", " and never quoted, so a comma in
// a process name looks like a column break. Each row has a fixed number of numeric columns at
// known ends, so the free-text column is whatever lies between them.
import * as l10n from '@vscode/l10n';
import type { GpuProcess, GpuReading } from './types';

export const GPU_QUERY =
  'nvidia-smi --query-gpu=index,name,utilization.gpu,memory.used,memory.total,temperature.gpu,power.draw,power.limit --format=csv,noheader,nounits';
export const APPS_QUERY =
  'nvidia-smi --query-compute-apps=gpu_uuid,pid,process_name,used_memory --format=csv,noheader,nounits';

/** Bounds on what one sample may produce: an 8x H100 has 8 GPUs; nothing real comes near these. */
export const LIMITS = { maxBytes: 256 * 1024, maxGpus: 64, maxProcesses: 512, maxText: 200, maxMessage: 500 } as const;

export interface Parsed<T> {
  readonly rows: T[];
  /** Lines that were not a row of this query (too few fields, no index/uuid, longer than any real row). */
  readonly skipped: number;
  /** The first skipped line, printable and bounded, to show what was printed. */
  readonly firstSkipped?: string;
  /** Rows past the row limit, not read. */
  readonly beyondLimit: number;
  /** Why a row that was read cannot be trusted (a field with an error, or not a number where one belongs), in words. */
  readonly faults: string[];
}

/** Fields nvidia-smi prints for a value it does not report: legitimate, and read as absent. */
const NOT_REPORTED = new Set(['[N/A]', '[Not Supported]']); // l10n-exempt: nvidia-smi's own tokens, matched in its output

interface Column {
  /** The column's name in the user's words (it goes into a fault). */
  readonly name: string;
  readonly valid: (n: number) => boolean;
}
const anyNumber = (): boolean => true;
const notNegative = (n: number): boolean => n >= 0;
/** The six numeric columns of GPU_QUERY, in order; worded when a query is read, not at load. */
const gpuColumns = (): readonly Column[] => [
  { name: l10n.t('utilisation'), valid: (n) => n >= 0 && n <= 100 },
  { name: l10n.t('memory used'), valid: notNegative },
  { name: l10n.t('memory total'), valid: notNegative },
  { name: l10n.t('temperature'), valid: anyNumber },
  { name: l10n.t('power draw'), valid: notNegative },
  { name: l10n.t('power limit'), valid: notNegative },
];

export function parseGpuQuery(text: string): Parsed<GpuReading> {
  const rows: GpuReading[] = [];
  const result = { rows, skipped: 0, beyondLimit: 0, faults: [] as string[] } as Mutable<Parsed<GpuReading>>;
  const columns = gpuColumns();
  for (const fields of csvRows(text)) {
    // index, name…, utilization, used, total, temperature, power.draw, power.limit
    const index = integer(fields[0]);
    if (fields.length < 8 || index === undefined) {
      skip(result, fields);
      continue;
    }
    if (rows.length >= LIMITS.maxGpus) {
      result.beyondLimit++;
      continue;
    }
    const name = fields.slice(1, -6).join(', ');
    const cells = fields.slice(-6).map((f, i) => readCell(f, columns[i]!));
    const fault = rowFault(l10n.t`GPU ${index}`, [
      ...(isErrorToken(name) ? [{ error: l10n.t`${name} name` }] : []),
      ...cells,
    ]);
    if (fault) addFault(result, fault);
    const [util, used, total, temp, draw, limit] = cells.map((c) => c.value);
    rows.push(
      compact({
        index,
        name: text200(name),
        utilizationPercent: util,
        memoryUsedMiB: used,
        memoryTotalMiB: total,
        temperatureC: temp,
        powerDrawW: draw,
        powerLimitW: limit,
      }),
    );
  }
  return result;
}

export function parseComputeApps(text: string): Parsed<GpuProcess> {
  const rows: GpuProcess[] = [];
  const result = { rows, skipped: 0, beyondLimit: 0, faults: [] as string[] } as Mutable<Parsed<GpuProcess>>;
  for (const fields of csvRows(text)) {
    // gpu_uuid, pid, process_name…, used_memory
    const gpuUuid = fields[0] ?? '';
    if (fields.length < 4 || !/^(GPU|MIG)-[0-9A-Za-z-/]{1,80}$/.test(gpuUuid)) {
      skip(result, fields);
      continue;
    }
    if (rows.length >= LIMITS.maxProcesses) {
      result.beyondLimit++;
      continue;
    }
    const pid = integer(fields[1]);
    // The name is free text (a program may be called anything) and the row counts as a GPU
    // process whatever it says, so only the pid and the memory are checked.
    const pidCell: Cell =
      pid !== undefined || NOT_REPORTED.has(fields[1]!) ? {} : unreadableCell(fields[1]!, l10n.t('pid'));
    const memory = readCell(fields[fields.length - 1]!, { name: l10n.t('memory'), valid: notNegative });
    const fault = rowFault(pid === undefined ? l10n.t('a GPU process') : l10n.t`GPU process ${pid}`, [pidCell, memory]);
    if (fault) addFault(result, fault);
    rows.push(compact({ gpuUuid, pid, name: text200(fields.slice(2, -1).join(', ')), usedMemoryMiB: memory.value }));
  }
  return result;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface Cell {
  readonly value?: number;
  /** An error nvidia-smi reported in this field, e.g. "[Unknown Error] temperature". */
  readonly error?: string;
  /** A field that is neither a number nor a known token, e.g. 'utilisation "abc"'. */
  readonly unreadable?: string;
}

/** One numeric field: a number in range, absent when not reported, else an error or unreadable. */
function readCell(field: string, column: Column): Cell {
  const n = number(field);
  if (n !== undefined && column.valid(n)) return { value: n };
  if (NOT_REPORTED.has(field)) return {};
  if (isErrorToken(field)) return { error: `${field} ${column.name}` };
  return unreadableCell(field, column.name);
}

function unreadableCell(field: string, name: string): Cell {
  return { unreadable: `${name} ${JSON.stringify(text200(field).slice(0, 40))}` };
}

/** `[Unknown Error]`, `[GPU requires reset]`, `ERR!`…: any bracketed token but the "not reported" ones. */
function isErrorToken(field: string): boolean {
  return field === 'ERR!' || (/^\[[^\]]{1,60}\]$/.test(field) && !NOT_REPORTED.has(field));
}

function rowFault(who: string, cells: readonly Cell[]): string | undefined {
  const errors = cells.flatMap((c) => (c.error ? [c.error] : []));
  if (errors.length) return l10n.t`${who} reported an error (${errors.join(', ')})`;
  const unreadable = cells.flatMap((c) => (c.unreadable ? [c.unreadable] : []));
  return unreadable.length
    ? l10n.t`${who} printed what this version cannot read (${unreadable.join(', ')})`
    : undefined;
}

function addFault(result: Mutable<Parsed<unknown>>, fault: string): void {
  if (result.faults.length < 3) result.faults.push(fault);
}

function skip(result: Mutable<Parsed<unknown>>, fields: string[]): void {
  result.skipped++;
  if (result.firstSkipped === undefined)
    result.firstSkipped = text200(
      fields.length ? fields.join(', ') : l10n.t('(a line longer than any real one)'),
    ).slice(0, 100);
}

export type NvidiaSmiFailure =
  | { readonly kind: 'missing'; readonly message: string }
  | { readonly kind: 'driver'; readonly message: string }
  | { readonly kind: 'other'; readonly message: string };

/**
 * Why `nvidia-smi …` exited with a non-zero code, from the exit code and what it (or the shell)
 * printed. 127 is the shell's "command not found" (bash, dash, zsh alike); the driver failures
 * are recognised by nvidia-smi's own sentences, which are kept as the message.
 */
export function classifyFailure(exitCode: number | undefined, output: string): NvidiaSmiFailure {
  const message = failureText(output);
  if (
    exitCode === 127 ||
    /nvidia-smi: (command )?not found|command not found: nvidia-smi|nvidia-smi: No such file or directory/.test(output)
  ) {
    return { kind: 'missing', message: message || l10n.t('nvidia-smi: command not found') };
  }
  if (DRIVER_FAILURE.test(output)) return { kind: 'driver', message };
  const code = exitCode === undefined ? l10n.t('was stopped') : l10n.t`exited with code ${exitCode}`;
  return {
    kind: 'other',
    message: message ? l10n.t`nvidia-smi ${code}: ${message}` : l10n.t`nvidia-smi ${code} without a message`,
  };
}

const DRIVER_FAILURE =
  /NVIDIA-SMI has failed|couldn't communicate with the NVIDIA driver|Failed to initialize NVML|Unable to determine the device handle|GPU is lost|No devices were found|NVIDIA-SMI couldn't find libnvidia-ml/i;

/** The failure text as one readable line: printable characters only, blank lines dropped, bounded. */
function failureText(output: string): string {
  const lines = output
    .slice(0, LIMITS.maxBytes)
    .split(/\r?\n|\r/)
    .map((l) => printable(l).trim())
    .filter(Boolean);
  const text = lines.join(' ');
  return text.length > LIMITS.maxMessage ? `${text.slice(0, LIMITS.maxMessage - 1)}…` : text;
}

/**
 * Split into lines (LF, CRLF or CR) and fields, skipping blank lines; bounded by LIMITS.maxBytes.
 * The separator is ", " exactly, so a name with "a,b" stays whole and one with "a, b" is rejoined as it was.
 */
function* csvRows(text: string): Generator<string[]> {
  const bounded = text.length > LIMITS.maxBytes ? text.slice(0, LIMITS.maxBytes) : text;
  for (const line of bounded.split(/\r?\n|\r/)) {
    if (line.trim() === '') continue;
    // Safety: a row longer than any real one is not a row.
    if (line.length > 4096) {
      yield [];
      continue;
    }
    yield line.split(', ').map((f) => f.trim());
  }
}

/** A plain decimal number, as nvidia-smi prints with `nounits`; anything else is undefined (readCell says whether that is "not reported" or a fault). */
function number(field: string | undefined): number | undefined {
  if (field === undefined || !/^-?\d{1,12}(\.\d{1,6})?$/.test(field)) return undefined;
  return Number(field);
}

function integer(field: string | undefined): number | undefined {
  return field !== undefined && /^\d{1,9}$/.test(field) ? Number(field) : undefined;
}

/** Free text from the remote machine, safe to show: no control characters, bounded. */
function text200(s: string): string {
  const clean = printable(s).trim();
  return clean.length > LIMITS.maxText ? `${clean.slice(0, LIMITS.maxText - 1)}…` : clean;
}

function printable(s: string): string {
  // C0/C1 controls, DEL, and the replacement char of undecodable bytes become "?".
  return s.replace(/[\u0000-\u001f\u007f-\u009f\ufffd]/g, '?');
}

/** Drops undefined properties, so an absent field is really absent (deepEqual-friendly). */
function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}
