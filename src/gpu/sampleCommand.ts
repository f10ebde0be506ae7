// One sample = one command over SSH: both nvidia-smi queries in a single exec, so the default
// 10 s interval costs 6 commands a minute per instance, not 12. Each query's exit code is printed
// after its output on a marker line; the marker carries a random nonce so a process name on the
// remote machine cannot pose as one. Plain POSIX sh: bash (fal's images), dash and zsh run it alike.
import * as l10n from '@vscode/l10n';
import { randomBytes } from 'node:crypto';
import { APPS_QUERY, classifyFailure, GPU_QUERY, LIMITS, parseComputeApps, parseGpuQuery } from './nvidiaSmi';
import { untrustedSampleReason } from './sampleCheck';
import type { RunResult } from '../connections/types';
import type { ExpectedGpus, GpuProcess, GpuReading } from './types';

export type SampleOutcome =
  | { readonly kind: 'ok'; readonly gpus: GpuReading[]; readonly processes: GpuProcess[] }
  | { readonly kind: 'noNvidiaSmi'; readonly message: string }
  | { readonly kind: 'driverFailed'; readonly message: string }
  | { readonly kind: 'sampleFailed'; readonly message: string; readonly raw?: string };

export class SampleCommand {
  /** The exact command sent on every sample of this sampler. */
  readonly text: string;
  private readonly marker: string;

  constructor(nonce: string = randomBytes(6).toString('hex')) {
    if (!/^[0-9a-z]{4,32}$/.test(nonce))
      // l10n-exempt: a programming error (the nonce is ours: random hex, or a test's), never shown
      throw new Error('the sample marker nonce must be 4-32 lower-case letters or digits');
    this.marker = `@@fal-gpu-${nonce}`;
    // stderr joins stdout so the shell's "command not found" and nvidia-smi's own errors arrive in
    // order with everything else; the second query runs only when the first succeeded.
    this.text =
      `exec 2>&1; ${GPU_QUERY}; s=$?; echo "${this.marker} gpu $s"; ` +
      `if [ "$s" -eq 0 ]; then ${APPS_QUERY}; echo "${this.marker} apps $?"; fi`; // l10n-exempt: the shell command run on the machine
  }

  /**
   * What one run of `text` means. Total: any output gives an outcome. `ok` only when every line was
   * read and nothing is missing (see sampleCheck.ts); `expected` is what the instance type has.
   */
  interpret(result: RunResult, expected?: ExpectedGpus): SampleOutcome {
    const lines = result.stdout.slice(0, LIMITS.maxBytes).split(/\r?\n|\r/);
    const gpuAt = lines.findIndex((l) => l.trim().startsWith(`${this.marker} gpu `));
    if (gpuAt < 0) return cutOff(result);
    const gpuCode = exitCodeOf(lines[gpuAt]!);
    const gpuText = lines.slice(0, gpuAt).join('\n');
    if (gpuCode !== 0) {
      const failure = classifyFailure(gpuCode, gpuText);
      if (failure.kind === 'missing') return { kind: 'noNvidiaSmi', message: failure.message };
      if (failure.kind === 'driver') return { kind: 'driverFailed', message: failure.message };
      return { kind: 'sampleFailed', message: failure.message };
    }
    // The apps marker is the last line the command prints: search from the end, so a process
    // name that happens to contain the text cannot end the section early.
    let appsAt = -1;
    for (let i = lines.length - 1; i > gpuAt; i--) {
      if (lines[i]!.trim().startsWith(`${this.marker} apps `)) {
        appsAt = i;
        break;
      }
    }
    if (appsAt < 0) return cutOff(result);
    const appsCode = exitCodeOf(lines[appsAt]!);
    const appsText = lines.slice(gpuAt + 1, appsAt).join('\n');
    if (appsCode !== 0) {
      const failure = classifyFailure(appsCode, appsText);
      return failure.kind === 'driver'
        ? { kind: 'driverFailed', message: failure.message }
        : { kind: 'sampleFailed', message: failure.message };
    }
    const gpus = parseGpuQuery(gpuText);
    const apps = parseComputeApps(appsText);
    const untrusted = untrustedSampleReason(gpus, apps, expected);
    if (untrusted) return { kind: 'sampleFailed', message: untrusted, raw: result.stdout.slice(0, LIMITS.maxBytes) };
    return { kind: 'ok', gpus: gpus.rows, processes: apps.rows };
  }
}

function exitCodeOf(markerLine: string): number | undefined {
  const m = /\s(\d{1,3})\s*$/.exec(markerLine);
  return m ? Number(m[1]) : undefined;
}

function cutOff(result: RunResult): SampleOutcome {
  if (result.truncated)
    return {
      kind: 'sampleFailed',
      message: l10n.t`the output was larger than ${LIMITS.maxBytes / 1024} KiB and was cut off`,
    };
  const failure = classifyFailure(result.exitCode, `${result.stdout}\n${result.stderr}`);
  // A login shell that is not sh-compatible, or a forced command, never reaches our markers.
  if (failure.kind === 'missing') return { kind: 'noNvidiaSmi', message: failure.message };
  return { kind: 'sampleFailed', message: l10n.t`the command ended early (${failure.message})` };
}
