// What the user reads when a create fails or while it waits. Pure, unit-tested.
import * as l10n from '@vscode/l10n';
import { waitText } from '../base/durations';
import { errorText } from '../base/errorText';
import { FalAbortError, FalApiError, FalError, FalInputError, FalNetworkError, FalResponseError } from '../api';
import { isCreditMessage, keyRejectionOf } from '../core/apiFailures';

export function createFailureMessage(error: unknown): string {
  if (error instanceof FalInputError) return l10n.t`Nothing was sent: ${error.message}`;
  if (error instanceof FalResponseError && error.outcomeUnknown) {
    return l10n.t`fal answered the create, but its answer could not be read (${error.message.replace(/\.$/, '')}). The instance may have been created: check the Instances list before creating another.`;
  }
  // 401/403 mean what the auth policy says they mean, in its words (the same everywhere).
  const rejection = keyRejectionOf(error);
  if (rejection) return l10n.t`fal did not start the instance. ${rejection.message}`;
  if (error instanceof FalApiError) {
    const fal = error.apiMessage.trim();
    if (error.status >= 400 && error.status < 500 && isCreditMessage(fal)) {
      // fal's own wording says exactly what to do about credit; show it unchanged.
      return l10n.t`fal did not start the instance: ${fal}`;
    }
    switch (error.status) {
      case 400:
      case 422:
        return l10n.t`fal rejected the request (${error.status}): ${fal || l10n.t('invalid request parameters')}`;
      case 429:
        // Past the idempotency window the client explains the wait it refused; otherwise a plain refusal.
        if (error.pastIdempotencyWindow) return error.message;
        return l10n.t('fal is rate-limiting requests (429): no instance was created. Try again in a minute.');
      default:
        if (error.status >= 500) {
          return l10n.t`fal had a server error (${error.status}) and the request was retried with the same Idempotency-Key. An instance may or may not have been started: check the Instances list before trying again.`;
        }
        return l10n.t`fal answered ${error.status}: ${fal || error.message}`;
    }
  }
  if (error instanceof FalNetworkError) {
    return l10n.t`Could not reach fal (${error.message}). The request was retried with the same Idempotency-Key; check the Instances list before trying again.`;
  }
  if (error instanceof FalAbortError)
    return l10n.t("The create was not confirmed within fal's 10-minute idempotency window: check the Instances list.");
  if (error instanceof FalError) return error.message;
  return l10n.t`Unexpected error: ${errorText(error)}`;
}

/** "fal is rate limiting: retrying in 2 min" (the create progress while fal's Retry-After runs). */
export function rateLimitWaitText(leftMs: number): string {
  return l10n.t`fal is rate limiting: retrying in ${waitText(leftMs)}`;
}

/** The create progress during any wait between attempts (429: fal's rate limiting). */
export function retryWaitText(leftMs: number, status: number | undefined): string {
  if (status === 429) return rateLimitWaitText(leftMs);
  return status
    ? l10n.t`fal did not answer the create (HTTP ${status}): sending it again, with the same key, in ${waitText(leftMs)}`
    : l10n.t`fal did not answer the create: sending it again, with the same key, in ${waitText(leftMs)}`;
}

/** "Provisioning 8x H100… 1m 40s" */
export function provisioningText(label: string, elapsedMs: number, status?: string): string {
  const s = Math.floor(Math.max(0, elapsedMs) / 1000);
  const clock = s < 60 ? l10n.t`${s}s` : l10n.t`${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return status && status !== 'provisioning'
    ? l10n.t`Provisioning ${label}… ${clock} (${status})`
    : l10n.t`Provisioning ${label}… ${clock}`;
}

/**
 * The progress's `cancellable`, as its button's label ("Stop Waiting": it stops the waiting, never
 * the machine). VS Code (1.100, ProgressService withNotificationProgress) labels the cancel button
 * with a string `cancellable`, and the extension host passes the value through as given; the API
 * types it boolean, so a host that did not would show its own "Cancel" — still a working button
 * (test/e2e/create.test.ts reads the label).
 */
export function stopWaitingButton(): boolean {
  return l10n.t('Stop Waiting') as unknown as boolean;
}
