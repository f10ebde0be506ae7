// GET /account/billing?expand=credits (fal's `getAccountBilling`, test/fixtures/fal-platform-openapi.json):
// the account's username and its credit balance. A balance is a figure the extension warns on, so
// only a credible one becomes a number: negative, not a number, beyond any real account, or missing
// although asked for, it is "not known", with the reason — never a guess.
//
// A 403 or 404 says the key may not read billing (a key without billing permission, an account
// billed by invoice). It is this call's own outcome, returned rather than thrown: it never reaches
// the one policy that decides what 401/403 mean for Compute (core/apiFailures.ts: "key rejected"),
// and, being an answer, it is never retried. Every other failure is a FalError like any call's; the
// request is sent once (the scheduler's billing pace, slow and backing off, is its retry).
import * as l10n from '@vscode/l10n';
import * as z from 'zod/mini';
import { parseBoundedJson } from './boundedJson';
import { FalResponseError } from './errors';
import { apiError, type HttpResponse, type RequestContext } from './responses';
import { describeSchemaIssues } from './schemas';
import type { Call } from './transport';

export const BILLING_PATH = '/account/billing';

/** More than any real account holds (a trillion): a balance past it is a broken figure, not money. */
export const MAX_CREDIBLE_BALANCE = 1e12;

/** What the balance is, or why it is not known. */
export type Credit =
  | { readonly known: true; readonly balance: number; readonly currency: string }
  | { readonly known: false; readonly reason: string };

export type BillingRead =
  | { readonly readable: true; readonly username: string; readonly credit: Credit }
  /** fal answered 403 or 404: this key cannot read billing. `said`: fal's own words, redacted ('' when none). */
  | { readonly readable: false; readonly status: 403 | 404; readonly said: string };

const BillingSchema = z.object({ username: z.string(), credits: z.optional(z.unknown()) });
const CreditsSchema = z.object({ current_balance: z.optional(z.unknown()), currency: z.optional(z.unknown()) });
/** An ISO 4217 code: shown as given, never converted; anything else is not a currency to show a figure in. */
const CURRENCY_CODE = /^[A-Za-z]{3}$/;
const USERNAME_CHARS = 128;

/** The one request: `GET /account/billing?expand=credits`, its answers read here. */
export function billingCall(signal: AbortSignal | undefined): Call<BillingRead> {
  return {
    method: 'GET',
    path: BILLING_PATH,
    shownPath: BILLING_PATH,
    query: new URLSearchParams({ expand: 'credits' }),
    shownQuery: '?expand=credits',
    signal,
    // One attempt: the refresh scheduler's billing pace is the retry, at its own slow, backing-off pace.
    once: true,
    handlers: { 200: parseBilling, 403: notReadable, 404: notReadable },
  };
}

export function parseBilling(res: HttpResponse, ctx: RequestContext): BillingRead {
  const json = parseBoundedJson(res.body);
  if (!json.ok)
    throw new FalResponseError(
      l10n.t('{0} returned a response that {1}.', ctx.endpoint, json.problem),
      ctx.endpoint,
      200,
    );
  const parsed = BillingSchema.safeParse(json.value);
  if (!parsed.success) {
    const problems = ctx.redactor.text(describeSchemaIssues(parsed.error), 300);
    throw new FalResponseError(
      l10n.t("{0} returned a response that does not match fal's API: {1}", ctx.endpoint, problems),
      ctx.endpoint,
      200,
    );
  }
  return {
    readable: true,
    username: ctx.redactor.text(parsed.data.username, USERNAME_CHARS),
    credit: readCredit(parsed.data.credits, ctx),
  };
}

/** The `credits` object fal sent (asked for with expand=credits), judged. */
export function readCredit(credits: unknown, ctx: Pick<RequestContext, 'redactor'>): Credit {
  const notKnown = (reason: string): Credit => ({ known: false, reason });
  if (credits === undefined || credits === null)
    return notKnown(l10n.t('fal sent no balance, although it was asked for one.'));
  const parsed = CreditsSchema.safeParse(credits);
  if (!parsed.success) return notKnown(l10n.t('fal sent the balance in a form this version cannot read.'));
  const { current_balance: balance, currency } = parsed.data;
  if (typeof balance !== 'number') return notKnown(l10n.t('fal sent a balance that is not a number.'));
  if (!Number.isFinite(balance) || balance > MAX_CREDIBLE_BALANCE)
    return notKnown(l10n.t('fal sent a balance too large to be real.'));
  if (balance < 0) return notKnown(l10n.t('fal sent a negative balance ({0}).', balance));
  if (typeof currency !== 'string' || !CURRENCY_CODE.test(currency))
    return notKnown(
      l10n.t(
        'fal sent the balance in "{0}", which is not a currency code.',
        typeof currency === 'string' ? ctx.redactor.text(currency, 16) : typeof currency,
      ),
    );
  return { known: true, balance, currency };
}

function notReadable(res: HttpResponse, ctx: RequestContext): BillingRead {
  const status = res.status === 404 ? 404 : 403;
  // apiError reads (and redacts) fal's error envelope the way every failed call's is read.
  return { readable: false, status, said: apiError(res, ctx, undefined).apiMessage };
}
