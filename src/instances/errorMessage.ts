// Turns anything thrown into words for a person. The client's errors already carry actionable,
// key-free messages; anything else is reported generically rather than dumped.
import { FalApiError, FalError } from '../api';

export function errorMessage(error: unknown): string {
  if (error instanceof FalError) return error.message;
  if (error instanceof Error && error.name === 'AbortError') return 'Cancelled.';
  return `Unexpected error: ${error instanceof Error ? error.message : String(error)}`;
}

export function retryAfterMs(error: unknown): number | undefined {
  return error instanceof FalApiError ? error.retryAfterMs : undefined;
}
