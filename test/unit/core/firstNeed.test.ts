// When the features activation leaves out are built without a command asking for them: as soon as
// they could show or do anything, never before fal has answered (unless a budget is set).
import assert from 'node:assert/strict';
import { featuresNeeded } from '../../../src/core/firstNeed';
import type { LoadState } from '../../../src/core/instancesModel';

const KINDS: LoadState['kind'][] = ['reading', 'signedOut', 'loading', 'loaded', 'keyRejected', 'error'];

describe('featuresNeeded (what builds the features on first need)', () => {
  it('not while nothing is known, signed out or waiting for the first list, with no rows and no budget', () => {
    for (const state of ['reading', 'signedOut', 'loading'] as const)
      assert.equal(featuresNeeded({ state, rows: 0, monthlyBudgetUsd: undefined }), false, state);
  });

  it("from fal's first answer: a list (even empty), an error, a rejected key", () => {
    for (const state of ['loaded', 'error', 'keyRejected'] as const)
      assert.equal(featuresNeeded({ state, rows: 0, monthlyBudgetUsd: undefined }), true, state);
  });

  it('whenever a row is listed, and whenever a monthly budget is set (the status bar shows its share)', () => {
    for (const state of KINDS) {
      assert.equal(featuresNeeded({ state, rows: 1, monthlyBudgetUsd: undefined }), true, state);
      assert.equal(featuresNeeded({ state, rows: 0, monthlyBudgetUsd: 500 }), true, state);
    }
  });
});
