// Runtime shapes of fal's Platform API v1 compute responses (see the OpenAPI in
// test/fixtures/fal-platform-openapi.json). Enum fields are deliberately open: fal may add
// a status or region at any time, and the extension must keep working and show it.
// zod/mini: the same validation as classic zod at a few percent of its size (it is tree-shaken),
// which keeps the extension bundle small and activation fast. English messages are opted into.
import * as l10n from '@vscode/l10n';
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import {
  isKnownInstanceType,
  isKnownRegion,
  isKnownSector,
  isKnownStatus,
  type ErrorType,
  type InstanceType,
  type OpenEnum,
  type Region,
  type Sector,
  type Status,
} from './enums';

z.config(en());

export * from './enums';

function openEnum<Known extends string>() {
  return z.pipe(
    z.string(),
    z.transform((s: string): OpenEnum<Known> => s),
  );
}

/** fal omits some optional fields and may send them as null; both mean "absent". */
function optional<S extends z.ZodMiniType>(schema: S) {
  return z.pipe(
    z.nullish(schema),
    z.transform((value: z.output<S> | null | undefined) => value ?? undefined),
  );
}

export const ComputeInstanceSchema = z.object({
  id: z.string().check(z.minLength(1)),
  instance_type: openEnum<InstanceType>(),
  region: openEnum<Region>(),
  status: openEnum<Status>(),
  sector: optional(openEnum<Sector>()),
  ip: optional(z.string()),
  creator_user_nickname: optional(z.string()),
});
export type ComputeInstance = z.output<typeof ComputeInstanceSchema>;

/**
 * The list envelope. Rows are checked one by one (see rows.ts), so that one bad row cannot hide
 * the others and a page of garbage costs one check per row, not one issue per field of every row.
 */
export const ListEnvelopeSchema = z.object({
  instances: z.array(z.unknown()),
  next_cursor: z.nullable(z.string()),
  has_more: z.boolean(),
});

/** A row of the list that could not be used, kept so that it is shown rather than hidden. */
export interface InvalidInstanceRow {
  /** The row's id, redacted and capped for display, when it had a string one. */
  readonly id: string | undefined;
  /** Whether `id` is exactly fal's id and may be used in a request (otherwise it is for display only). */
  readonly idUsable: boolean;
  /** What was wrong, redacted and capped, e.g. `status: expected string, received null`. */
  readonly problem: string;
}

/** One page: the usable rows, the rows that were not, and where the next page is. */
export interface ListPage {
  readonly instances: ComputeInstance[];
  readonly invalid: InvalidInstanceRow[];
  readonly next_cursor: string | null;
  readonly has_more: boolean;
}

/** Every page of a listing. */
export interface InstanceListing {
  readonly instances: ComputeInstance[];
  readonly invalid: InvalidInstanceRow[];
}

/** An optional envelope field of the wrong type is dropped rather than discarding fal's message. */
function lenient<S extends z.ZodMiniType>(schema: S) {
  return z.catch(optional(schema), undefined);
}

export const ErrorEnvelopeSchema = z.object({
  error: z.object({
    type: z.catch(openEnum<ErrorType>(), 'http_error'),
    message: z.string(),
    docs_url: lenient(z.string()),
    request_id: lenient(z.string()),
  }),
});
export type ErrorEnvelope = z.output<typeof ErrorEnvelopeSchema>;

export type EnumField = 'instance_type' | 'region' | 'status' | 'sector';

/** The enum fields whose value this client does not know (so the UI can flag them). */
export function unrecognizedFields(instance: ComputeInstance): EnumField[] {
  const unknown: EnumField[] = [];
  if (!isKnownInstanceType(instance.instance_type)) unknown.push('instance_type');
  if (!isKnownRegion(instance.region)) unknown.push('region');
  if (!isKnownStatus(instance.status)) unknown.push('status');
  if (instance.sector !== undefined && !isKnownSector(instance.sector)) unknown.push('sector');
  return unknown;
}

/** `instances[3].id: expected string, received number` — for error messages. */
export function describeSchemaIssues(error: z.core.$ZodError, maxIssues = 3): string {
  const lines = error.issues.slice(0, maxIssues).map((issue) => {
    const where = formatPath(issue.path);
    const what = issue.message.replace(/^Invalid input: /, '');
    return where ? `${where}: ${what}` : what;
  });
  const more = error.issues.length - lines.length;
  return lines.join('; ') + (more > 0 ? ` ${l10n.t`(and ${more} more)`}` : '');
}

function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`))
    .join('');
}
