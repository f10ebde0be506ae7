// The credit's words: the status bar part (rendered like VS Code renders the tooltip), the
// notification of a crossing and the spend report's section; hostile text from fal makes nothing.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { CreditState } from '../../../src/core/credit';
import { runwayOf, runwaySide } from '../../../src/cost/runway';
import { creditPart } from '../../../src/views/creditPresentation';
import { creditReportLines, creditWarningText, runwayText, type CreditView } from '../../../src/views/creditWords';
import { hostile } from '../support/hostileText';
import { collapse, renderLikeVsCode } from './renderLikeVsCode';

const AT = new Date(2026, 0, 1, 14, 2, 5).getTime();

function view(credit: CreditState, perHour = 15.12, warnHours = 12, unpriced = false): CreditView {
  const runway = runwayOf(credit, perHour);
  return { credit, runway, below: runwaySide(runway, warnHours) === 'below', warnHours, unpriced };
}
const usd = (balance: number, currency = 'USD'): CreditState => ({ kind: 'known', balance, currency, at: AT });
/** The tooltip as read (the renderer's text joins the bold label and what follows with a space). */
const tooltipText = (v: CreditView) => renderLikeVsCode(creditPart(v)!.tooltip).text.replace(/^Credit :/, 'Credit:');

describe('credit presentation', () => {
  it('the tooltip: `$412.00 · ~27 h at $15.12/h`, labelled an estimate; nothing in the line, no warning colour', () => {
    const part = creditPart(view(usd(412)))!;
    assert.equal(
      tooltipText(view(usd(412))),
      "Credit: $412.00 · ~27 h at $15.12/h (estimate: fal's balance at 14:02:05 ÷ the hourly rates in settings)",
    );
    assert.equal(part.text, '');
    assert.equal(part.urgency, 'info');
  });

  it('under fal.credits.warnHours: `~9 h of credit left` in the line, the warning colour, and the click opens the spend report', () => {
    const part = creditPart(view(usd(136.08)))!;
    assert.equal(part.text, '~9 h of credit left');
    assert.equal(part.urgency, 'warning');
    assert.equal(part.command, 'fal.showSpend');
    assert.match(tooltipText(view(usd(136.08))), /— under the 12 h of fal\.credits\.warnHours$/);
    assert.equal(
      creditWarningText(view(usd(136.08))),
      'fal credit is running low: $136.08 lasts ~9 h at the current $15.12/h (estimate), under the 12 h of fal.credits.warnHours. fal locks an account whose balance drops below its lock threshold, and then rejects its API requests.',
    );
  });

  it('another currency is shown as given, never converted, and has no runway; nothing running: no runway', () => {
    assert.equal(
      tooltipText(view(usd(412, 'EUR'))),
      "Credit: 412.00 EUR · no runway: the hourly rates are in USD, and the balance is not converted (fal's balance at 14:02:05)",
    );
    assert.equal(creditWarningText(view(usd(1, 'EUR'))), undefined);
    assert.equal(tooltipText(view(usd(412), 0)), "Credit: $412.00 · nothing is running (fal's balance at 14:02:05)");
  });

  it('403/404: the balance hidden, a note instead; not read yet: nothing', () => {
    assert.equal(
      tooltipText(view({ kind: 'notReadable', status: 403 })),
      'Credit: balance not readable with this key (HTTP 403)',
    );
    assert.equal(creditPart(view({ kind: 'notReadable', status: 404 }))!.urgency, 'info');
    assert.equal(creditPart(view({ kind: 'unread' })), undefined);
    assert.deepEqual(creditReportLines(view({ kind: 'unread' })), []);
  });

  it('machines without a rate: the burn is at least the figure (`$15.12+/h`)', () => {
    assert.match(tooltipText(view(usd(412), 15.12, 12, true)), /~27 h at \$15\.12\+\/h/);
  });

  it('runway words round down: minutes under an hour, days from 100 h', () => {
    assert.deepEqual([0, 0.999, 1, 27.9, 99.9, 100, 1000].map(runwayText), [
      '~0 min',
      '~59 min',
      '~1 h',
      '~27 h',
      '~99 h',
      '~4 d',
      '~41 d',
    ]);
  });

  it("the spend report's section: the figure, where it comes from, and the warning", () => {
    const lines = creditReportLines(view(usd(136.08)));
    assert.equal(lines[0], '## Credit');
    assert.equal(lines[2], '$136.08 · ~9 h at $15.12/h');
    assert.match(lines.join('\n'), /the runway is an estimate/);
    assert.match(lines.join('\n'), /\*\*Under the 12 h of `fal\.credits\.warnHours`\.\*\*/);
  });

  it('a hostile reason from fal is shown as text and makes no link, image, HTML or icon', () => {
    const plain = renderLikeVsCode(creditPart(view({ kind: 'notKnown', reason: 'x', at: AT }))!.tooltip);
    fc.assert(
      fc.property(hostile, (reason) => {
        const rendered = renderLikeVsCode(creditPart(view({ kind: 'notKnown', reason, at: AT }))!.tooltip);
        assert.deepEqual(
          [rendered.links, rendered.images, rendered.html, rendered.icons],
          [plain.links, plain.images, plain.html, plain.icons],
        );
        assert.ok(rendered.text.includes(collapse(reason)), rendered.text);
      }),
      { numRuns: 300 },
    );
  });
});
