// The closed lists fal's API names (instance types, regions, statuses, sectors, error types) and the
// checks for a known value: plain constants, apart from the schemas (schemas.ts), so what only needs a
// name — the stored state's shapes, settings — does not build every response schema.
export const INSTANCE_TYPES = ['gpu_1x_h100_sxm5', 'gpu_8x_h100_sxm5'] as const;
export const REGIONS = ['us-west', 'us-central', 'us-east', 'eu-north', 'eu-west', 'other'] as const;
export const STATUSES = ['ready', 'init', 'pending', 'provisioning', 'stopped', 'unknown'] as const;
export const SECTORS = ['sector_1', 'sector_2', 'sector_3'] as const;
export const ERROR_TYPES = [
  'authorization_error',
  'validation_error',
  'not_found',
  'rate_limited',
  'server_error',
  'not_implemented',
] as const;

export type InstanceType = (typeof INSTANCE_TYPES)[number];
export type Region = (typeof REGIONS)[number];
export type Status = (typeof STATUSES)[number];
export type Sector = (typeof SECTORS)[number];
export type ErrorType = (typeof ERROR_TYPES)[number];

/** A known value (autocompleted) or any string fal may introduce later. */
export type OpenEnum<Known extends string> = Known | (string & {});

function isOneOf<T extends string>(values: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (values as readonly string[]).includes(value);
}

export const isKnownInstanceType = (v: unknown): v is InstanceType => isOneOf(INSTANCE_TYPES, v);
export const isKnownRegion = (v: unknown): v is Region => isOneOf(REGIONS, v);
export const isKnownStatus = (v: unknown): v is Status => isOneOf(STATUSES, v);
export const isKnownSector = (v: unknown): v is Sector => isOneOf(SECTORS, v);
