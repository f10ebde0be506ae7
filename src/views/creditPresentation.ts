// The status bar's credit part: a paragraph of its tooltip (`**Credit**: $412.00 · ~27 h at
// $15.12/h`, labelled an estimate), and — only while the runway is under fal.credits.warnHours — the
// line's `~9 h of credit left` and the warning colour. No `vscode` import; creditStatus.ts shows it.
import * as l10n from '@vscode/l10n';
import { markdownText } from '../core/markdownText';
import { creditText, runwayText, type CreditView } from './creditWords';
import { clock } from './gpuPresentation';
import type { StatusPart } from './statusBar';

export const CREDIT_PART = 'credit';

export function creditPart(view: CreditView): StatusPart | undefined {
  const text = creditText(view);
  if (text === undefined) return undefined;
  const { credit, runway, below } = view;
  const estimate =
    credit.kind === 'known' && runway.kind === 'hours'
      ? l10n.t(" *(estimate: fal's balance at {0} ÷ the hourly rates in settings)*", clock(credit.at))
      : credit.kind === 'known'
        ? l10n.t(" *(fal's balance at {0})*", clock(credit.at))
        : '';
  const warning = below ? l10n.t(' — **under the {0} h of fal.credits.warnHours**', view.warnHours) : '';
  return {
    // In the line only while it matters; the tooltip always has it.
    text: below && runway.kind === 'hours' ? l10n.t('{0} of credit left', runwayText(runway.hours)) : '',
    tooltip: `${l10n.t('**Credit**: {0}', markdownText(text))}${estimate}${warning}`,
    accessibility: l10n.t('fal credit: {0}', text),
    urgency: below ? 'warning' : 'info',
    ...(below ? { command: 'fal.showSpend' } : {}),
  };
}
