// Validation of FalComputeClient options: a mistake here is a FalConfigError at construction,
// not a confusing failure on the first request.
import * as l10n from '@vscode/l10n';
import { FalConfigError } from './errors';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry';

export function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1)
    throw new FalConfigError(l10n.t`The client option ${name} must be a whole number of at least 1.`);
  return value;
}

export function headerValue(name: string, value: string): string {
  if (!/^[\x20-\x7e]+$/.test(value))
    throw new FalConfigError(l10n.t`The client option ${name} must be printable ASCII on one line.`);
  return value;
}

export function retryPolicy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  const policy = { ...DEFAULT_RETRY_POLICY, ...overrides };
  positiveInteger('retry.maxAttempts', policy.maxAttempts);
  for (const name of ['baseDelayMs', 'maxDelayMs', 'budgetMs', 'createWindowMs'] as const) {
    if (!Number.isFinite(policy[name]) || policy[name] < 0) {
      throw new FalConfigError(l10n.t`The client option retry.${name} must be a number of at least 0.`);
    }
  }
  return policy;
}
