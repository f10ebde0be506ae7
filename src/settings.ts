// The one reader of the extension's settings (contributes.configuration in package.json), plus the
// one setting of Remote-SSH we honour (remote.SSH.configFile). Read fresh where it matters: the
// values may change at any time.
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import { DEFAULT_BASE_URL } from './api';
import type { GroupBy, SortBy } from './core/ordering';
import { sshPaths, type SshPaths } from './ssh';

export interface Settings {
  readonly apiBaseUrl: string;
  readonly fastRefreshMs: number;
  readonly slowRefreshMs: number;
  readonly hourlyUsd: Readonly<Record<string, number>>;
  readonly groupBy: GroupBy;
  readonly sortBy: SortBy;
  readonly ssh: SshSettings;
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
  return {
    apiBaseUrl: (c.get<string>('apiBaseUrl') || DEFAULT_BASE_URL).trim(),
    fastRefreshMs: Math.max(1, c.get<number>('refresh.fastIntervalSeconds', 3)) * 1000,
    slowRefreshMs: Math.max(5, c.get<number>('refresh.slowIntervalSeconds', 60)) * 1000,
    hourlyUsd: c.get<Record<string, number>>('pricing.hourlyUsd', {}),
    groupBy: c.get<GroupBy>('instances.groupBy', 'none'),
    sortBy: c.get<SortBy>('instances.sortBy', 'firstSeen'),
    ssh: readSshSettings(c),
  };
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
