// The API layer's public surface. Nothing in src/api may import `vscode`.
export { checkApiKeyShape, parseApiKey, redact, type ParsedApiKey } from './apiKey';
export { MAX_CREDIBLE_BALANCE, type BillingRead, type Credit } from './billing';
export { DEFAULT_BASE_URL, isLoopback, parseBaseUrl } from './baseUrl';
export { createRequestBody, type CreateInstanceInput, type CreateRequestBody } from './createInput';
export {
  FalComputeClient,
  type CreateInstanceOptions,
  type FalComputeClientOptions,
  type RequestLogEntry,
  type RequestOutcome,
  type RetryNotice,
} from './client';
export { instanceIdProblem, MAX_INSTANCE_ID_LENGTH } from './instanceId';
export {
  FalAbortError,
  FalApiError,
  FalConfigError,
  FalError,
  FalInputError,
  FalNetworkError,
  FalResponseError,
  type FalErrorKind,
  type SanitizedCause,
} from './errors';
export {
  backoffDelayMs,
  decideRetry,
  DEFAULT_RETRY_POLICY,
  isRetryableFailure,
  parseRetryAfterMs,
  type AttemptFailure,
  type RequestClass,
  type RetryDecision,
  type RetryPolicy,
  type RetryQuestion,
} from './retry';
export * from './schemas';
export { checkSshPublicKey } from './sshKey';
