// What the user reads when a create fails or while it waits. Pure, unit-tested.
import { waitText } from '../base/durations';
import { errorText } from '../base/errorText';
import { FalAbortError, FalApiError, FalError, FalInputError, FalNetworkError, FalResponseError } from '../api';
import { isCreditMessage, keyRejectionOf } from '../core/apiFailures';

export function createFailureMessage(error: unknown): string {
  if (error instanceof FalInputError) return `Nothing was sent: ${error.message}`;
  if (error instanceof FalResponseError && error.outcomeUnknown) {
    return (
      `fal answered the create, but its answer could not be read (${error.message.replace(/\.$/, '')}). The instance may have been created: ` +
      'check the Instances list before creating another.'
    );
  }
  // 401/403 mean what the auth policy says they mean, in its words (the same everywhere).
  const rejection = keyRejectionOf(error);
  if (rejection) return `fal did not start the instance. ${rejection.message}`;
  if (error instanceof FalApiError) {
    const fal = error.apiMessage.trim();
    if (error.status >= 400 && error.status < 500 && isCreditMessage(fal)) {
      // fal's own wording says exactly what to do about credit; show it unchanged.
      return `fal did not start the instance: ${fal}`;
    }
    switch (error.status) {
      case 400:
      case 422:
        return `fal rejected the request (${error.status}): ${fal || 'invalid request parameters'}`;
      case 429:
        // Past the idempotency window the client explains the wait it refused; otherwise a plain refusal.
        if (error.pastIdempotencyWindow) return error.message;
        return 'fal is rate-limiting requests (429): no instance was created. Try again in a minute.';
      default:
        if (error.status >= 500) {
          return `fal had a server error (${error.status}) and the request was retried with the same Idempotency-Key. An instance may or may not have been started: check the Instances list before trying again.`;
        }
        return `fal answered ${error.status}: ${fal || error.message}`;
    }
  }
  if (error instanceof FalNetworkError) {
    return `Could not reach fal (${error.message}). The request was retried with the same Idempotency-Key; check the Instances list before trying again.`;
  }
  if (error instanceof FalAbortError)
    return "The create was not confirmed within fal's 10-minute idempotency window: check the Instances list.";
  if (error instanceof FalError) return error.message;
  return `Unexpected error: ${errorText(error)}`;
}

/** "fal is rate limiting: retrying in 2 min" (the create progress while fal's Retry-After runs). */
export function rateLimitWaitText(leftMs: number): string {
  return `fal is rate limiting: retrying in ${waitText(leftMs)}`;
}

/** The create progress during any wait between attempts (429: fal's rate limiting). */
export function retryWaitText(leftMs: number, status: number | undefined): string {
  if (status === 429) return rateLimitWaitText(leftMs);
  return `fal did not answer the create${status ? ` (HTTP ${status})` : ''}: sending it again, with the same key, in ${waitText(leftMs)}`;
}

/** "Provisioning 8x H100… 1m 40s" */
export function provisioningText(label: string, elapsedMs: number, status?: string): string {
  const s = Math.floor(Math.max(0, elapsedMs) / 1000);
  const clock = s < 60 ? `${s}s` : `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `Provisioning ${label}… ${clock}${status && status !== 'provisioning' ? ` (${status})` : ''}`;
}

/** The create progress's one button: it stops the waiting, never the machine. */
export const STOP_WAITING = 'Stop Waiting';

/**
 * The progress's `cancellable`, as its button's label. VS Code (1.100, ProgressService
 * withNotificationProgress) labels the cancel button with a string `cancellable`, and the extension
 * host passes the value through as given; the API types it boolean, so a host that did not would
 * show its own "Cancel" — still a working button (test/e2e/create.test.ts reads the label).
 */
export function stopWaitingButton(): boolean {
  return STOP_WAITING as unknown as boolean;
}
