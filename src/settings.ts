// Typed access to the extension's settings (contributes.configuration in package.json).
import * as vscode from 'vscode';
import type { GroupBy, SortBy } from './core/ordering';

export const DEFAULT_API_BASE_URL = 'https://api.fal.ai/v1';

export interface Settings {
  readonly apiBaseUrl: string;
  readonly fastRefreshMs: number;
  readonly slowRefreshMs: number;
  readonly hourlyUsd: Readonly<Record<string, number>>;
  readonly groupBy: GroupBy;
  readonly sortBy: SortBy;
}

export function readSettings(): Settings {
  const c = vscode.workspace.getConfiguration('fal');
  return {
    apiBaseUrl: (c.get<string>('apiBaseUrl') || DEFAULT_API_BASE_URL).trim(),
    fastRefreshMs: Math.max(1, c.get<number>('refresh.fastIntervalSeconds', 3)) * 1000,
    slowRefreshMs: Math.max(5, c.get<number>('refresh.slowIntervalSeconds', 60)) * 1000,
    hourlyUsd: c.get<Record<string, number>>('pricing.hourlyUsd', {}),
    groupBy: c.get<GroupBy>('instances.groupBy', 'none'),
    sortBy: c.get<SortBy>('instances.sortBy', 'firstSeen'),
  };
}

export function affectsSettings(e: vscode.ConfigurationChangeEvent): boolean {
  return e.affectsConfiguration('fal');
}
