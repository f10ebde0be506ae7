// Turning 2xx bodies into instances, one row at a time. A row that does not match fal's API, or
// whose id could not be used in a request, becomes an InvalidInstanceRow (shown, never acted on)
// instead of failing the page; every string of a usable row is made display-safe (redacted,
// capped, no control characters) here, once, for every place that shows it.
import * as l10n from '@vscode/l10n';
import { parseBoundedJson } from './boundedJson';
import { FalResponseError } from './errors';
import { instanceIdProblem } from './instanceId';
import type { Redactor } from './redaction';
import type { HttpResponse, RequestContext } from './responses';
import {
  ComputeInstanceSchema,
  describeSchemaIssues,
  ListEnvelopeSchema,
  type ComputeInstance,
  type InvalidInstanceRow,
  type ListPage,
} from './schemas';

/** More rows than this in one page is not a page: it is refused before any row is checked. */
export const MAX_ROWS_PER_PAGE = 1000;

/** Display caps for the fields of an instance (a 1 MiB status must not become a 1 MiB label). */
const FIELD_CHARS = {
  instance_type: 64,
  region: 64,
  status: 64,
  sector: 64,
  ip: 64,
  creator_user_nickname: 128,
} as const;
const SHOWN_ID_CHARS = 128;
const PROBLEM_CHARS = 300;

export function parseListPage(res: HttpResponse, ctx: RequestContext): ListPage {
  const envelope = ListEnvelopeSchema.safeParse(parseJson(res, ctx));
  if (!envelope.success) throw mismatch(res, ctx, describeSchemaIssues(envelope.error));
  const { instances: rows, next_cursor, has_more } = envelope.data;
  if (rows.length > MAX_ROWS_PER_PAGE) {
    throw new FalResponseError(
      l10n.t`${ctx.endpoint} returned ${rows.length} rows, more than the ${MAX_ROWS_PER_PAGE} rows a page may hold.`,
      ctx.endpoint,
      res.status,
    );
  }
  const page: ListPage = { instances: [], invalid: [], next_cursor, has_more };
  for (const row of rows) {
    const read = readRow(row, ctx.redactor);
    if ('invalid' in read) page.invalid.push(read.invalid);
    else page.instances.push(read.instance);
  }
  return page;
}

/** One instance (get, create): a row that cannot be used fails the call, typed. */
export function parseInstance(res: HttpResponse, ctx: RequestContext): ComputeInstance {
  const read = readRow(parseJson(res, ctx), ctx.redactor);
  if ('invalid' in read) throw mismatch(res, ctx, read.invalid.problem);
  return read.instance;
}

function parseJson(res: HttpResponse, ctx: RequestContext): unknown {
  const parsed = parseBoundedJson(res.body);
  if (parsed.ok) return parsed.value;
  const what =
    parsed.problem === l10n.t('is not JSON')
      ? l10n.t('a response that is not JSON')
      : l10n.t`a response that ${parsed.problem}`;
  throw new FalResponseError(l10n.t`${ctx.endpoint} returned ${what} (HTTP ${res.status}).`, ctx.endpoint, res.status);
}

function mismatch(res: HttpResponse, ctx: RequestContext, problems: string): FalResponseError {
  const shown = ctx.redactor.text(problems, PROBLEM_CHARS);
  return new FalResponseError(
    l10n.t`${ctx.endpoint} returned a response that does not match fal's API: ${shown}`,
    ctx.endpoint,
    res.status,
  );
}

type RowRead = { readonly instance: ComputeInstance } | { readonly invalid: InvalidInstanceRow };

function readRow(row: unknown, redactor: Redactor): RowRead {
  const rawId =
    typeof row === 'object' && row !== null && typeof (row as { id?: unknown }).id === 'string'
      ? (row as { id: string }).id
      : undefined;
  const parsed = ComputeInstanceSchema.safeParse(row);
  if (!parsed.success) return { invalid: invalidRow(rawId, describeSchemaIssues(parsed.error), redactor) };
  const idProblem =
    instanceIdProblem(parsed.data.id) ??
    (redactor.holdsKey(parsed.data.id) ? l10n.t('it contains the API key') : undefined);
  if (idProblem) return { invalid: invalidRow(rawId, l10n.t`id cannot be used in a request: ${idProblem}`, redactor) };
  return { instance: displaySafe(parsed.data, redactor) };
}

function invalidRow(rawId: string | undefined, problem: string, redactor: Redactor): InvalidInstanceRow {
  const id = rawId === undefined ? undefined : redactor.text(rawId, SHOWN_ID_CHARS);
  const idUsable =
    rawId !== undefined && id === rawId && instanceIdProblem(rawId) === undefined && !redactor.holdsKey(rawId);
  return { id, idUsable, problem: redactor.text(problem, PROBLEM_CHARS) };
}

/** The id is kept as fal sent it (it was checked); every other string is made display-safe. */
function displaySafe(instance: ComputeInstance, redactor: Redactor): ComputeInstance {
  const shown = (field: keyof typeof FIELD_CHARS, value: string) => redactor.text(value, FIELD_CHARS[field]);
  // Absent optional fields stay absent (zod's output type lists them as `T | undefined`).
  const out = {
    id: instance.id,
    instance_type: shown('instance_type', instance.instance_type),
    region: shown('region', instance.region),
    status: shown('status', instance.status),
  } as ComputeInstance;
  if (instance.sector !== undefined) out.sector = shown('sector', instance.sector);
  if (instance.ip !== undefined) out.ip = shown('ip', instance.ip);
  if (instance.creator_user_nickname !== undefined)
    out.creator_user_nickname = shown('creator_user_nickname', instance.creator_user_nickname);
  return out;
}
