// The credit balance and its runway in plain words: the line the status bar's tooltip escapes
// (creditPresentation.ts), the notification of a crossing and the spend report's section (a markdown
// document: outside text through markdownDocumentText). No `vscode` import (unit-tested in plain
// node). A balance in another currency is shown as given (`412.00 EUR`), never converted; every
// figure that divides it by the hourly rates says it is an estimate.
import * as l10n from '@vscode/l10n';
import { formatUsd } from '../core/costEstimate';
import type { CreditState } from '../core/credit';
import { markdownDocumentText } from '../core/markdownText';
import type { Runway } from '../cost/runway';
import { clock } from './gpuPresentation';

/** What there is to say about the credit now. */
export interface CreditView {
  readonly credit: CreditState;
  readonly runway: Runway;
  /** The runway is under fal.credits.warnHours now. */
  readonly below: boolean;
  readonly warnHours: number;
  /** Some running machines have no hourly rate: the burn is at least the figure, the runway at most. */
  readonly unpriced: boolean;
}

/** `$412.00`, or `412.00 EUR` for another currency, as given. Plain text. */
export function moneyText(balance: number, currency: string): string {
  return currency.toUpperCase() === 'USD' ? formatUsd(balance) : `${balance.toFixed(2)} ${currency}`;
}

/** `~27 h`, `~40 min`, `~12 d`: rounded down, as a runway must never be read as longer than it is. */
export function runwayText(hours: number): string {
  if (hours < 1) return l10n.t('~{0} min', Math.floor(hours * 60));
  if (hours < 100) return l10n.t('~{0} h', Math.floor(hours));
  return l10n.t('~{0} d', Math.floor(hours / 24));
}

/** `$412.00 · ~27 h at $15.12/h`, or why there is no figure. Plain text; undefined before the first read. */
export function creditText(view: CreditView): string | undefined {
  const { credit, runway } = view;
  switch (credit.kind) {
    case 'unread':
      return undefined;
    case 'notReadable':
      return l10n.t('balance not readable with this key (HTTP {0})', credit.status);
    case 'notKnown':
      return l10n.t('balance not known: {0}', credit.reason);
    case 'known': {
      const money = moneyText(credit.balance, credit.currency);
      if (runway.kind === 'hours')
        return l10n.t(
          '{0} · {1} at {2}/h',
          money,
          runwayText(runway.hours),
          burnText(runway.perHourUsd, view.unpriced),
        );
      if (runway.kind === 'noBurn') return l10n.t('{0} · nothing is running', money);
      if (runway.kind === 'otherCurrency')
        return l10n.t('{0} · no runway: the hourly rates are in USD, and the balance is not converted', money);
      return money;
    }
  }
}

/** The notification of a crossing (plain text: notifications.ts makes it link-free). */
export function creditWarningText(view: CreditView): string | undefined {
  const { credit, runway } = view;
  if (credit.kind !== 'known' || runway.kind !== 'hours') return undefined;
  return l10n.t(
    'fal credit is running low: {0} lasts {1} at the current {2}/h (estimate), under the {3} h of fal.credits.warnHours. fal locks an account whose balance drops below its lock threshold, and then rejects its API requests.',
    moneyText(credit.balance, credit.currency),
    runwayText(runway.hours),
    burnText(runway.perHourUsd, view.unpriced),
    view.warnHours,
  );
}

/** The spend report's section (a markdown document: outside text through markdownDocumentText). */
export function creditReportLines(view: CreditView): string[] {
  const text = creditText(view);
  if (text === undefined) return [];
  const { credit, runway } = view;
  const lines = ['## ' + l10n.t('Credit'), '', markdownDocumentText(text)];
  if (credit.kind === 'known')
    lines.push(
      '',
      runway.kind === 'hours'
        ? l10n.t(
            "*The balance is fal's (GET /account/billing, read at {0}); the runway is an estimate: the balance ÷ the hourly rates in `fal.pricing.hourlyUsd` of what runs now.*",
            clock(credit.at),
          )
        : l10n.t("*The balance is fal's (GET /account/billing, read at {0}).*", clock(credit.at)),
    );
  if (view.below) lines.push('', l10n.t('**Under the {0} h of `fal.credits.warnHours`.**', view.warnHours));
  return lines;
}

export function burnText(perHourUsd: number, unpriced: boolean): string {
  return unpriced ? `${formatUsd(perHourUsd)}+` : formatUsd(perHourUsd);
}
