// Checks a candidate key against the API before it is saved, with a one-item list call.
import type * as vscode from 'vscode';
import { FalApiError, FalNetworkError } from '../api';
import { errorMessage } from '../instances/errorMessage';
import { createFalClient } from '../instances/falClientFactory';

export type KeyVerdict =
  | { readonly ok: true }
  /** `unverifiable`: fal could not be reached, so the key may still be fine. */
  | { readonly ok: false; readonly message: string; readonly unverifiable: boolean };

export async function verifyApiKey(key: string, baseUrl: string, log: vscode.LogOutputChannel, version: string): Promise<KeyVerdict> {
  try {
    await createFalClient(key, baseUrl, log, version).listInstancesPage({ limit: 1 });
    return { ok: true };
  } catch (error) {
    const unverifiable = error instanceof FalNetworkError || (error instanceof FalApiError && error.status >= 500);
    return { ok: false, message: errorMessage(error), unverifiable };
  }
}
