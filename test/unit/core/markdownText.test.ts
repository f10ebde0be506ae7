// The one way outside text reaches markup (src/core/markdownText.ts), each form against what VS
// Code does with it: labels drawn with icons (renderLabelWithIcons), notification messages
// (parseLinkedText), code spans, command links, the spend report's source, and the log.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  commandUri,
  labelText,
  logText,
  markdownCode,
  markdownDocumentText,
  markdownText,
  notificationText,
} from '../../../src/core/markdownText';
import { plainTextLog } from '../../../src/core/plainLog';
import { hostile } from '../support/hostileText';
import { collapse, renderLikeVsCode } from '../views/renderLikeVsCode';

/** A label as VS Code draws it (iconLabels.ts renderLabelWithIcons, 1.100): its icons and its text. */
function drawLabel(label: string): { icons: string[]; text: string } {
  const icons: string[] = [];
  const text = label.replace(
    /(\\)?\$\(([A-Za-z0-9-]+(?:~[A-Za-z]+)?)\)/g,
    (_m, escaped: string | undefined, name: string) => {
      if (escaped) return `$(${name})`;
      icons.push(name);
      return '';
    },
  );
  return { icons, text };
}

/** The links VS Code makes in a notification message (notificationsViewer/linkedText.ts, 1.100). */
function notificationLinks(message: string): string[] {
  return [...message.matchAll(/\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/gi)].map(
    (m) => m[2]!,
  );
}

const oneLine = (text: string) => text.replace(/\r\n|[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ');

describe('markdownText and its siblings', () => {
  it("markdownText: the issue's strings render as themselves and make nothing", () => {
    for (const text of [
      '$(flame)',
      '\\$(flame)',
      '$(loading~spin) x',
      '[Choose it…](command:fal.gpu.chooseKey?["inst_victim"])',
      '<b>bold</b>',
      '<https://evil.example>',
      '&amp; &#36;(flame)',
      '# h',
      '1. x',
      '> q',
      '| a | b |',
    ]) {
      const r = renderLikeVsCode(markdownText(text));
      assert.deepEqual([r.links, r.images, r.html, r.icons], [[], [], [], []], text);
      assert.equal(r.text, collapse(text), text);
    }
  });

  it('labelText: a label with outside text draws no icon and reads as the text (one line)', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const drawn = drawLabel(labelText(text));
        assert.deepEqual(drawn.icons, []);
        assert.equal(drawn.text, oneLine(text));
      }),
      { numRuns: 500 },
    );
    assert.deepEqual(
      drawLabel(`$(key) ${labelText('$(flame) id_ed25519')}`),
      { icons: ['key'], text: ' $(flame) id_ed25519' },
      'our own icon stays',
    );
  });

  it('notificationText: no link in a message, and it reads the same (a zero-width space between "]" and "(")', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const message = notificationText(text);
        assert.deepEqual(notificationLinks(message), []);
        assert.equal(message.replace(/\]\u200b\(/g, ']('), text);
      }),
      { numRuns: 500 },
    );
    assert.deepEqual(
      notificationLinks('[x](command:fal.signOut)'),
      ['command:fal.signOut'],
      'the regex finds what VS Code finds',
    );
  });

  it('markdownCode: a code span for a plain token (id, type, IP), escaped text for anything else', () => {
    assert.equal(markdownCode('inst_abc123'), '`inst_abc123`');
    assert.equal(markdownCode('203.0.113.9'), '`203.0.113.9`');
    assert.equal(markdownCode('gpu_8x_h100_sxm5'), '`gpu_8x_h100_sxm5`');
    fc.assert(
      fc.property(hostile, (text) => {
        const r = renderLikeVsCode(`| a |\n|---|\n| ${markdownCode(text)} |\n`);
        assert.deepEqual([r.links, r.images, r.html, r.icons], [[], [], [], []]);
        assert.ok(r.text.includes(collapse(text)), `${JSON.stringify(text)} in ${r.text}`);
      }),
      { numRuns: 300 },
    );
  });

  it('commandUri: the arguments come back whole, and nothing in it can end the link or start an icon', () => {
    fc.assert(
      fc.property(fc.array(hostile, { maxLength: 3 }), (args) => {
        const uri = commandUri('fal.x', args);
        assert.match(uri, /^command:fal\.x\?[A-Za-z0-9%._-]*$/);
        assert.deepEqual(JSON.parse(decodeURIComponent(uri.slice('command:fal.x?'.length))), args);
      }),
    );
  });

  it("markdownDocumentText: the spend report's cells make no command link, image or HTML in a preview, and stay readable as source", () => {
    assert.equal(markdownDocumentText('inst_abc (gpu_1x) a.b'), 'inst_abc (gpu_1x) a.b');
    // Found by this property: a bare link swallowed the escape of the `<` after it.
    assert.deepEqual(renderLikeVsCode(markdownDocumentText('https://evil.example/a_b<img src=x>')).html, []);
    fc.assert(
      fc.property(hostile, (text) => {
        const r = renderLikeVsCode(`| a |\n|---|\n| ${markdownDocumentText(text)} |\n`);
        // A bare web address may become a web link in a preview (VS Code asks before opening one); nothing else.
        assert.deepEqual([r.links.filter((l) => !/^(https?|mailto):/.test(l)), r.images, r.html], [[], [], []]);
      }),
      { numRuns: 300 },
    );
  });

  it('logText and plainTextLog: a line break in a message only ever continues the entry (indented), controls show as �', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const lines = logText(text).split('\n');
        assert.ok(
          lines.slice(1).every((l) => l.startsWith('    ')),
          JSON.stringify(lines),
        );
        assert.doesNotMatch(logText(text), /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e]/);
      }),
    );
    const written: unknown[] = [];
    const channel = { level: 2, info: (m: unknown, ...rest: unknown[]) => written.push(m, ...rest), name: 'fal' };
    const log = plainTextLog(channel);
    log.info('status\n2026-01-01 00:00:00.000 [error] forged\u001b[31m', 7);
    log.info(new Error('kept') as unknown as string);
    assert.deepEqual(written.slice(0, 2), ['status\n    2026-01-01 00:00:00.000 [error] forged\ufffd[31m', 7]);
    assert.ok(written[2] instanceof Error);
    assert.equal(log.level, 2);
    assert.equal(log.name, 'fal');
  });
});
