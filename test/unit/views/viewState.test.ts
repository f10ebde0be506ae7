// The Instances view shows exactly one state: for every load state and row count (generated), either
// a welcome (no message: VS Code hides the welcome whenever a message is set) or rows with at most
// a message line — never both, never a signed-out welcome while the key is being read.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import fc from 'fast-check';
import type { LoadState } from '../../../src/core/instancesModel';
import { viewChrome } from '../../../src/views/viewState';
import { readManifest } from '../../support/manifest';

const failure = fc.constantFrom('offline', 'server', 'rateLimited', 'settings', 'response', 'other' as const);
const loadState: fc.Arbitrary<LoadState> = fc.oneof(
  fc.constant({ kind: 'reading' } as const),
  fc.constant({ kind: 'signedOut' } as const),
  fc.constant({ kind: 'loading' } as const),
  fc.record({ kind: fc.constant('loaded' as const), at: fc.nat() }),
  fc.record(
    {
      kind: fc.constant('error' as const),
      message: fc.string({ minLength: 1 }),
      failure,
      at: fc.nat(),
      status: fc.oneof(fc.integer({ min: 400, max: 599 }), fc.constantFrom(500, 502, 503, 504)),
    },
    { requiredKeys: ['kind', 'message', 'failure', 'at'] },
  ),
  fc.record({
    kind: fc.constant('keyRejected' as const),
    rejection: fc.constantFrom(
      { kind: 'wrongKey' as const, status: 401 as const, message: 'x' },
      { kind: 'noAccess' as const, status: 403 as const, message: 'y' },
    ),
  }),
);

/** The `when` of every viewsWelcome entry of the Instances view. */
function welcomeWhens(): string[] {
  const pkg = readManifest(join(__dirname, '../../../..'));
  return pkg.contributes.viewsWelcome
    .filter((w: { view: string }) => w.view === 'falCompute.instances')
    .map((w: { when: string }) => w.when);
}

/** The welcome entries whose clause `fal.viewState == X` (first term) matches the state. */
function welcomesFor(state: string): string[] {
  return welcomeWhens().filter(
    (when) =>
      new RegExp(`^fal\\.viewState == ${state.replaceAll('.', '\\.')}(\\s|$)`).test(when) && !when.includes('&&'),
  );
}

describe('view states (one at a time)', () => {
  it('a message only ever comes with rows; without rows the state has exactly one welcome (or, while reading, none)', () => {
    fc.assert(
      fc.property(loadState, fc.nat({ max: 3 }), (load, rows) => {
        const chrome = viewChrome(load, load.kind === 'loaded' || load.kind === 'error' ? rows : 0);
        if (chrome.message !== undefined) assert.equal(chrome.state, 'list');
        if (chrome.state === 'list') return;
        assert.equal(
          welcomesFor(chrome.state).length,
          chrome.state === 'reading' ? 0 : 1,
          `${chrome.state}: ${JSON.stringify(welcomesFor(chrome.state))}`,
        );
      }),
    );
  });

  it('an empty, failing view offers Retry and Show Logs with the reason in words (bad settings: Open Settings)', () => {
    const pkg = readManifest(join(__dirname, '../../../..'));
    const errors = pkg.contributes.viewsWelcome.filter((w: { when: string }) =>
      w.when.startsWith('fal.viewState == error.'),
    );
    assert.equal(errors.length, 10);
    for (const e of errors) {
      assert.match(e.contents, /^Couldn't (load|reach)/, e.when);
      assert.match(e.contents, /\[Show Logs\]\(command:fal\.showLogs\)/, e.when);
      if (e.when !== 'fal.viewState == error.settings')
        assert.match(e.contents, /\[Retry\]\(command:fal\.refresh\)/, e.when);
    }
  });

  it('a server error says the status fal sent: 500, 502, 503 and 504 by number and name, any other 5xx in general words', () => {
    const contents = (state: string) => {
      const pkg = readManifest(join(__dirname, '../../../..'));
      return pkg.contributes.viewsWelcome.find((w: { when: string }) => w.when === `fal.viewState == ${state}`)
        .contents as string;
    };
    const error = (status: number | undefined): LoadState => ({
      kind: 'error',
      message: 'm',
      failure: 'server',
      at: 0,
      ...(status !== undefined && { status }),
    });
    const shown = (status: number | undefined) => contents(viewChrome(error(status), 0).state);
    assert.match(shown(500), /fal's servers answered HTTP 500 \(Internal Server Error\)/);
    assert.match(shown(502), /HTTP 502 \(Bad Gateway\)/);
    assert.match(shown(503), /HTTP 503 \(Service Unavailable\)/);
    assert.match(shown(504), /HTTP 504 \(Gateway Timeout\)/);
    for (const other of [501, 507, 599, undefined])
      assert.match(shown(other), /an HTTP status of 500 or more; Show Logs says which/, String(other));
    assert.doesNotMatch(JSON.stringify(welcomeWhens()), /5xx/);
  });

  it('nothing is claimed while the key is being read', () => {
    assert.deepEqual(viewChrome({ kind: 'reading' }, 0), { state: 'reading', message: undefined });
    assert.deepEqual(welcomesFor('reading'), []);
    assert.ok(
      !welcomeWhens().some((w) => w.includes('!fal.viewState')),
      'no welcome for an unset state (before activation)',
    );
  });
});
