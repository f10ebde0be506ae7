// The fresh look at the machine just before an auto-delete. The VS Code side gathers it over the
// GPU sampler's own SSH connection (nvidia-smi through the sampler's parsers, and
// SESSION_CHECK_COMMAND through checkSessions); this module only judges it. Anything unknown —
// an unreadable utilisation, a failed command, a missing list — is a refusal, never a pass.
import * as l10n from '@vscode/l10n';
import type { SessionCheck } from './sessions';

/** The part of a GPU reading the re-check judges (the sampler's GpuReading fits it; cost does not import gpu). */
export interface RecheckGpu {
  readonly index: number;
  /** Percent; undefined when nvidia-smi printed [N/A] or similar. */
  readonly utilizationPercent: number | undefined;
}

export interface RecheckProcess {
  readonly pid: number;
  readonly name: string;
}

export interface MachineState {
  readonly gpus: readonly RecheckGpu[];
  readonly gpuProcesses: readonly RecheckProcess[];
  readonly sessions: SessionCheck;
  /** Names of the jobs running there (src/jobs), when the host lists them: a running job is never idle. */
  readonly runningJobs?: readonly string[];
  /** What the instance type has, when it is known: fewer GPUs than that is not the machine's whole load. */
  readonly expected?: { readonly gpus: number; readonly label: string };
}

export type InspectResult =
  { readonly ok: true; readonly state: MachineState } | { readonly ok: false; readonly error: string };

export type RecheckVerdict =
  { readonly ok: true; readonly summary: string } | { readonly ok: false; readonly reason: string };

export function judgeRecheck(result: InspectResult, gpuPercent: number): RecheckVerdict {
  if (!result.ok) return { ok: false, reason: l10n.t`the machine could not be checked: ${result.error}` };
  const { gpus, gpuProcesses, sessions, expected } = result.state;
  if (gpus.length === 0) return { ok: false, reason: l10n.t('the machine reported no GPUs, so its load is unknown') };
  if (expected && gpus.length < expected.gpus) {
    return {
      ok: false,
      reason:
        gpus.length === 1
          ? l10n.t`the machine reported ${gpus.length} GPU; its type (${expected.label}) has ${expected.gpus}, so its load is unknown`
          : l10n.t`the machine reported ${gpus.length} GPUs; its type (${expected.label}) has ${expected.gpus}, so its load is unknown`,
    };
  }
  for (const gpu of gpus) {
    const u = gpu.utilizationPercent;
    if (u === undefined || !Number.isFinite(u))
      return { ok: false, reason: l10n.t`GPU ${gpu.index} utilisation is unknown` };
    if (u >= gpuPercent)
      return { ok: false, reason: l10n.t`GPU ${gpu.index} is at ${u} % (idle means under ${gpuPercent} %)` };
  }
  if (gpuProcesses.length) {
    const names = gpuProcesses.slice(0, 3).map((p) => l10n.t`${p.name} (pid ${p.pid})`);
    const more = gpuProcesses.length > 3 ? l10n.t` and ${gpuProcesses.length - 3} more` : '';
    return { ok: false, reason: l10n.t`a GPU process is running: ${names.join(', ')}${more}` };
  }
  if (!sessions.ok) return { ok: false, reason: l10n.t`sessions could not be checked: ${sessions.reason}` };
  const jobs = result.state.runningJobs ?? [];
  if (jobs.length) return { ok: false, reason: l10n.t`a job is running there: ${jobs.slice(0, 3).join(', ')}` };
  if (sessions.others.length) {
    const first = sessions.others[0]!.description;
    const more = sessions.others.length > 1 ? l10n.t` (+${sessions.others.length - 1} more)` : '';
    return { ok: false, reason: l10n.t`another session is open: ${first}${more}` };
  }
  const max = Math.max(...gpus.map((g) => g.utilizationPercent ?? 0));
  return {
    ok: true,
    // l10n-exempt: log line only (autoDelete.ts logs the passed re-check's summary)
    summary: `${gpus.length} GPU${gpus.length === 1 ? '' : 's'} at most ${max} %, no GPU process, no other session`,
  };
}
