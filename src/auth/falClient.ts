// Builds API clients for the extension: the base URL from settings, every request logged as
// method, path, status and duration — never headers, bodies or the key.
import type * as vscode from 'vscode';
import { FalComputeClient, type RequestLogEntry } from '../api';
import { PAGE_SIZE } from './falApi';

export { PAGE_SIZE, interceptErrors, type FalApi } from './falApi';

export function createFalClient(
  apiKey: string,
  baseUrl: string,
  log: vscode.LogOutputChannel,
  version: string,
): FalComputeClient {
  return new FalComputeClient({
    apiKey,
    baseUrl,
    pageSize: PAGE_SIZE,
    userAgent: `fal-compute-vscode/${version}`,
    onRequest: (entry: RequestLogEntry) => logRequest(log, entry),
  });
}

function logRequest(log: vscode.LogOutputChannel, e: RequestLogEntry): void {
  // l10n-exempt: a log line only (logged just below)
  const line = `${e.method} ${e.path} → ${e.status ?? e.outcome} in ${Math.round(e.durationMs)} ms${e.attempt > 1 ? ` (attempt ${e.attempt})` : ''}`;
  if (e.outcome === 'ok') log.info(line);
  else log.warn(line);
}
