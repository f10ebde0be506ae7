// The one reader of the extension's settings (contributes.configuration in package.json), plus the
// one setting of Remote-SSH we honour (remote.SSH.configFile). Read fresh where it matters: the
// values may change at any time.
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import { DEFAULT_BASE_URL } from './api/baseUrl';
import type { GroupBy, SortBy } from './core/ordering';
import { validLeaseHours } from './cost/lease';
import type { CostGuardSettings } from './cost/types';
import { sshPaths, type SshPaths } from './ssh/paths';

export interface Settings {
  readonly apiBaseUrl: string;
  readonly fastRefreshMs: number;
  readonly slowRefreshMs: number;
  readonly hourlyUsd: Readonly<Record<string, number>>;
  readonly groupBy: GroupBy;
  readonly sortBy: SortBy;
  readonly ssh: SshSettings;
  readonly gpu: GpuSettings;
  readonly cost: CostSettings;
  /** `fal.credits.warnHours`: warn when the credit runway is under this many hours; 0 (or less): never. */
  readonly creditWarnHours: number;
  readonly setup: SetupSettings;
  readonly sync: SyncSettings;
  readonly jobs: { readonly stopGraceSeconds: number };
}

/** The workspace up and results back (Upload Workspace, Download Results, results before a delete). */
export interface SyncSettings {
  /** `fal.sync.exclude`: more .gitignore lines the upload leaves home. */
  readonly exclude: readonly string[];
  /** `fal.results.paths`: .gitignore-style globs, relative to the machine's copy, that come home. */
  readonly resultsPaths: readonly string[];
}

/** Setup on ready: what runs when an instance created from this workspace becomes ready. */
export interface SetupSettings {
  /** `fal.setup.command` ('' when unset): runs when the workspace has no `.fal/setup.sh`. Ignored in an untrusted workspace. */
  readonly command: string;
  /** `fal.setup.timeoutMinutes`: the run is stopped after this long. */
  readonly timeoutMinutes: number;
  /** `fal.setup.uploadWorkspace`: upload the workspace first, and run the setup in its copy. */
  readonly uploadWorkspace: boolean;
}

/** The cost guard: reminders, opt-in auto-delete, the budget, whose instances are "mine". */
export interface CostSettings {
  readonly guard: CostGuardSettings;
  /** `fal.budget.monthlyUsd`; undefined when unset, 0 or not a positive number. */
  readonly monthlyBudgetUsd: number | undefined;
  /** `fal.creatorNickname` ('' when unset). */
  readonly creatorNickname: string;
  /** `fal.lease.defaultHours`: what the wizard's Delete after proposes; 0 = keep until deleted. */
  readonly leaseDefaultHours: number;
}

/** The GPU view: how often to sample, and what counts as idle. */
export interface GpuSettings {
  /** Seconds between samples while the view is visible and the window focused; 0 turns sampling off. */
  readonly sampleSeconds: number;
  /** A GPU under this utilisation (%) counts as idle. */
  readonly idleGpuPercent: number;
  /** Minutes (fractions allowed) every GPU must stay idle, with no GPU process, before the instance is marked idle; 0: never marked. */
  readonly idleMinutes: number;
}

export interface SshSettings {
  readonly user: string;
  readonly port: number;
  readonly openIn: 'newWindow' | 'currentWindow';
  readonly home: string;
  /** ~/.ssh and our files in it; the user config is remote.SSH.configFile when set. */
  readonly paths: SshPaths;
}

export function readSettings(): Settings {
  const c = vscode.workspace.getConfiguration('fal');
  const hourlyUsd = c.get<Record<string, number>>('pricing.hourlyUsd', {});
  const gpu = readGpuSettings(c);
  return {
    apiBaseUrl: (c.get<string>('apiBaseUrl') || DEFAULT_BASE_URL).trim(),
    fastRefreshMs: Math.max(1, c.get<number>('refresh.fastIntervalSeconds', 3)) * 1000,
    slowRefreshMs: Math.max(5, c.get<number>('refresh.slowIntervalSeconds', 60)) * 1000,
    hourlyUsd,
    groupBy: c.get<GroupBy>('instances.groupBy', 'none'),
    sortBy: c.get<SortBy>('instances.sortBy', 'firstSeen'),
    ssh: readSshSettings(c),
    gpu,
    cost: readCostSettings(c, gpu, hourlyUsd),
    creditWarnHours: Math.max(0, finite(c.get<number>('credits.warnHours'), 12)),
    setup: {
      // An untrusted workspace's settings may come from the repository: its command is not ours to run.
      command: vscode.workspace.isTrusted ? (c.get<string>('setup.command') ?? '').trim() : '',
      timeoutMinutes: Math.min(24 * 60, Math.max(1, finite(c.get<number>('setup.timeoutMinutes'), 60))),
      uploadWorkspace: c.get<boolean>('setup.uploadWorkspace') !== false,
    },
    sync: { exclude: lines(c.get('sync.exclude')), resultsPaths: lines(c.get('results.paths')) },
    jobs: { stopGraceSeconds: Math.min(3600, Math.max(1, finite(c.get<number>('jobs.stopGraceSeconds'), 30))) },
  };
}

function readCostSettings(
  fal: vscode.WorkspaceConfiguration,
  gpu: GpuSettings,
  hourlyUsd: Readonly<Record<string, number>>,
): CostSettings {
  const budget = finite(fal.get<number>('budget.monthlyUsd'), 0);
  const grace = finite(fal.get<number>('idle.graceMinutes'), 10);
  const command = fal.get<string>('idle.beforeDelete');
  const nickname = fal.get<string>('creatorNickname');
  return {
    guard: {
      idleMinutes: gpu.idleMinutes,
      gpuPercent: gpu.idleGpuPercent,
      runningHours: Math.max(0, finite(fal.get<number>('reminders.runningHours'), 8)),
      autoDelete: fal.get<boolean>('idle.autoDelete') === true,
      autoDeleteOthers: fal.get<boolean>('idle.autoDeleteOthers') === true,
      // Fractions are allowed (down to 3 s), as for fal.idle.minutes: the countdown must be testable.
      graceMinutes: Math.max(0.05, grace),
      beforeDelete: typeof command === 'string' ? command : '',
      hourlyUsd,
    },
    monthlyBudgetUsd: budget > 0 ? budget : undefined,
    creatorNickname: typeof nickname === 'string' ? nickname.trim() : '',
    leaseDefaultHours: validLeaseHours(fal.get<number>('lease.defaultHours')),
  };
}

function readGpuSettings(fal: vscode.WorkspaceConfiguration): GpuSettings {
  const seconds = finite(fal.get<number>('gpu.sampleSeconds'), 10);
  const percent = finite(fal.get<number>('idle.gpuPercent'), 5);
  const minutes = finite(fal.get<number>('idle.minutes'), 30);
  return {
    // 0 (or less) is off; otherwise at least 1 s, at most an hour.
    sampleSeconds: seconds <= 0 ? 0 : Math.min(3600, Math.max(1, seconds)),
    idleGpuPercent: Math.min(100, Math.max(0, percent)),
    // 0 turns idle marking off (as the cost guard reads it). Fractions of a minute are allowed
    // (down to 3 s): "idle" must be testable without waiting half an hour.
    idleMinutes: minutes <= 0 ? 0 : Math.max(0.05, minutes),
  };
}

function finite(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

function readSshSettings(fal: vscode.WorkspaceConfiguration): SshSettings {
  const user = (fal.get<string>('ssh.user') ?? '').trim() || 'ubuntu';
  const port = fal.get<number>('ssh.port') ?? 22;
  const openIn = fal.get<string>('connect.openIn') === 'currentWindow' ? 'currentWindow' : 'newWindow';
  const configFile = vscode.workspace.getConfiguration('remote.SSH').get<string>('configFile') || undefined;
  const home = homedir();
  return { user, port, openIn, home, paths: sshPaths(home, configFile) };
}

export function affectsSettings(e: vscode.ConfigurationChangeEvent): boolean {
  return e.affectsConfiguration('fal') || e.affectsConfiguration('remote.SSH.configFile');
}

/** A list-of-lines setting: its non-blank strings, trimmed; anything else (a hand-edited wrong type) is none. */
function lines(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => v.trim());
}
