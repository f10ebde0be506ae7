// What a failed call to fal means for the user, decided in ONE place. Above all: when does a
// failure mean the stored key is no good (401: wrong key; 403: no ADMIN scope or no Compute access)
// — the view, the status bar, polling and every command follow that verdict and say the same words.
import * as l10n from '@vscode/l10n';
import { errorText } from '../base/errorText';
import { FalApiError, FalConfigError, FalError, FalNetworkError, FalResponseError } from '../api/errors';

export type KeyRejectionKind = 'wrongKey' | 'noAccess';

export interface KeyRejection {
  readonly kind: KeyRejectionKind;
  readonly status: 401 | 403;
  /** What every surface says: the view's welcome, the status bar tooltip, each command's error. */
  readonly message: string;
}

// Worded when a verdict is made, not at load (extension.ts gives the bundle after the imports ran).
const wrongKeyMessage = () =>
  l10n.t(
    'fal rejected the API key (401): it is wrong, revoked or incomplete. Copy the whole key (key_id:key_secret) from fal.ai/dashboard/keys and set it again.',
  );
const noAccessMessage = () =>
  l10n.t(
    'fal denied access (403): Compute needs an ADMIN-scope API key, and the fal account needs Compute access (request it at fal.ai/dashboard).',
  );

/** fal's credit gate (observed wording: "…at least $500 in your fal credit balance…"): a billing state, not a key problem. */
const CREDIT_MESSAGE = /credit|balance|top.?up|\$\s?\d+/i;

/** The verdict for an HTTP status alone (the client's request log sees statuses before errors exist). */
function keyRejectionForStatus(status: number, apiMessage = ''): KeyRejection | undefined {
  if (status === 401) return { kind: 'wrongKey', status, message: wrongKeyMessage() };
  if (status === 403 && !isCreditMessage(apiMessage)) return { kind: 'noAccess', status, message: noAccessMessage() };
  return undefined;
}

/** The verdict for anything thrown by an API call: a KeyRejection, or undefined when the key is not the problem. */
export function keyRejectionOf(error: unknown): KeyRejection | undefined {
  return error instanceof FalApiError ? keyRejectionForStatus(error.status, error.apiMessage) : undefined;
}

export function isCreditMessage(apiMessage: string): boolean {
  return CREDIT_MESSAGE.test(apiMessage);
}

/** Why a list could not be loaded, as the view's welcome words it (package.json `fal.viewState == error.<kind>`). */
export type FailureKind = 'offline' | 'server' | 'rateLimited' | 'settings' | 'response' | 'other';

export function failureKind(error: unknown): FailureKind {
  if (error instanceof FalNetworkError) return 'offline';
  if (error instanceof FalConfigError) return 'settings';
  if (error instanceof FalResponseError) return 'response';
  if (error instanceof FalApiError) {
    if (error.status === 429) return 'rateLimited';
    if (error.status >= 500) return 'server';
  }
  return 'other';
}

/** Anything thrown, in words for a person: the client's errors already carry actionable, key-free messages. */
export function errorMessage(error: unknown): string {
  const rejection = keyRejectionOf(error);
  if (rejection) return rejection.message;
  if (error instanceof FalError) return error.message;
  if (error instanceof Error && error.name === 'AbortError') return l10n.t('Cancelled.');
  return l10n.t`Unexpected error: ${errorText(error)}`;
}

/** The HTTP status fal answered with, when it answered (the view's welcome names it). */
export function failureStatus(error: unknown): number | undefined {
  return error instanceof FalApiError ? error.status : undefined;
}

/** The wait fal asked for (Retry-After), if any. */
export function retryAfterMs(error: unknown): number | undefined {
  return error instanceof FalApiError ? error.retryAfterMs : undefined;
}

export function isNotFound(error: unknown): boolean {
  return error instanceof FalApiError && error.status === 404;
}
