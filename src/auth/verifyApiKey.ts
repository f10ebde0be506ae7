// Checks a candidate key against the API before it is saved, with a one-item list call. The
// verdict's words for 401/403 are the auth policy's (core/apiFailures.ts), as everywhere else.
import type * as vscode from 'vscode';
import { FalApiError, FalNetworkError } from '../api';
import { errorMessage } from '../core/apiFailures';
import { createFalClient } from './falClient';

export type KeyVerdict =
  | { readonly ok: true }
  /** `unverifiable`: fal could not be reached, so the key may still be fine. */
  | { readonly ok: false; readonly message: string; readonly unverifiable: boolean };

export async function verifyApiKey(
  key: string,
  baseUrl: string,
  log: vscode.LogOutputChannel,
  version: string,
): Promise<KeyVerdict> {
  try {
    await createFalClient(key, baseUrl, log, version).listInstancesPage({ limit: 1 });
    return { ok: true };
  } catch (error) {
    const unverifiable = error instanceof FalNetworkError || (error instanceof FalApiError && error.status >= 500);
    return { ok: false, message: errorMessage(error), unverifiable };
  }
}
