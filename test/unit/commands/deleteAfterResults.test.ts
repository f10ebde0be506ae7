// "Download Results, Then Delete" (issue 19 item 5) without VS Code: its words, and its sequence as
// a property over hostile mixes — saves that fail, throw or take their time while the list changes
// under them, delete requests that fail: one DELETE per instance at most, a ready machine deleted
// only after its own save said "saved" and only while still deletable, every failed download kept
// and reported, one download at a time, and the ledger's mark exactly on the saved ones.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { deleteAfterResults, type DeleteRun } from '../../../src/commands/deleteAfterResults';
import { deleteConfirmation, keptMessage, resultsButtons } from '../../../src/commands/deleteText';
import type { ResultsSaveOutcome } from '../../../src/cost';
import { flush } from '../core/fakeTimers';

const A = { id: 'inst_a', label: '8x H100', ip: '203.0.113.10', name: 'train' };
const B = { id: 'inst_b', label: '1x H100', ip: '203.0.113.11' };
const P = { id: 'inst_p', label: '1x H100', notReady: true };

describe('Delete: download results, then delete', () => {
  it('the modal: Download Results, Then Delete first (the default), Delete second; the detail says what each does', () => {
    const { downloadThenDelete, deleteOnly } = resultsButtons();
    assert.deepEqual([downloadThenDelete, deleteOnly], ['Download Results, Then Delete', 'Delete']);
    const one = deleteConfirmation([A], true);
    assert.equal(one.message, 'Delete train (8x H100 inst_a, 203.0.113.10)?');
    assert.match(
      one.detail,
      /destroyed permanently[\s\S]*\n\nDownload Results, Then Delete downloads its results \(fal\.results\.paths\) first and deletes it only if they all arrive; otherwise it is left running\. Delete deletes without downloading\.$/,
    );
    const many = deleteConfirmation([A, B, P], true);
    assert.match(
      many.detail,
      /downloads the results \(fal\.results\.paths\) of each machine first and deletes only those whose results all arrive; the others are left running\. Delete deletes without downloading\.\n\nNot ready, so there is nothing to download; deleted either way: 1x H100 inst_p\.$/,
    );
    assert.doesNotMatch(deleteConfirmation([A]).detail, /Download/, 'without results: the old words');
  });

  it('the warning names what was left running and why, and what was deleted', () => {
    assert.equal(
      keptMessage([{ subject: A, reason: 'the machine did not answer.' }], []),
      'train (8x H100 inst_a, 203.0.113.10) was not deleted: its results could not be downloaded (the machine did not answer), so the machine is left running.',
    );
    assert.equal(
      keptMessage(
        [
          { subject: A, reason: 'outputs/a.pt is newer here' },
          { subject: B, reason: '' },
        ],
        [P],
      ),
      '2 instances were not deleted: their results could not be downloaded, so they are left running — train (8x H100 inst_a, 203.0.113.10) (outputs/a.pt is newer here); 1x H100 inst_b (203.0.113.11) (no reason given). Deleted: 1x H100 inst_p.',
    );
  });

  it('property: one DELETE per instance at most; a ready one only after its own "saved" and while deletable; failed ones kept; one download at a time', async () => {
    const kind = fc.constantFrom<'saved' | 'failed' | 'throw'>('saved', 'failed', 'throw');
    const ids = ['i0', 'i1', 'i2', 'i3', 'i4'];
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ ready: fc.boolean(), kind, vanish: fc.boolean(), deleteFails: fc.boolean() }), {
          minLength: ids.length,
          maxLength: ids.length,
        }),
        fc.array(fc.nat(3), { maxLength: 20 }), // extra turns each save takes before it answers
        async (plan, delays) => {
          const ready = ids.filter((_, i) => plan[i]!.ready);
          const notReady = ids.filter((_, i) => !plan[i]!.ready);
          const at = (id: string) => plan[ids.indexOf(id)]!;
          const listed = new Set(ids);
          const saved = new Set<string>();
          const sent = new Map<string, boolean>(); // id → marked "results saved"
          let inFlight = 0;
          const outcome = await deleteAfterResults(ready, notReady, {
            saver: {
              configured: () => true,
              save: async (id) => {
                assert.ok(ready.includes(id), 'only ready machines are downloaded');
                assert.equal(++inFlight, 1, 'one download at a time');
                for (let n = delays.shift() ?? 0; n > 0; n--) await flush();
                inFlight--;
                if (at(id).vanish) listed.delete(id); // deleted elsewhere while its results came
                const k = at(id).kind;
                if (k === 'throw') throw new Error('ssh: connection reset');
                if (k === 'saved') saved.add(id);
                return (
                  k === 'saved' ? { kind: k, fetched: 1, upToDate: 0 } : { kind: k, reason: 'x' }
                ) as ResultsSaveOutcome;
              },
            },
            remove: (list, marks): Promise<DeleteRun> => {
              for (const id of list) {
                assert.ok(!sent.has(id), `one DELETE per instance: ${id}`);
                if (ready.includes(id)) {
                  assert.ok(saved.has(id), `${id}: deleted only after its save said saved`);
                  assert.ok(listed.has(id), `${id}: still deletable`);
                }
                sent.set(id, marks.has(id));
              }
              for (const id of marks) assert.ok(list.includes(id) && saved.has(id), 'marked only when saved');
              const failed = list.filter((id) => at(id).deleteFails);
              return Promise.resolve({
                gone: list.filter((id) => !at(id).deleteFails),
                failed: failed.map((id) => ({ id, message: 'HTTP 500' })),
              });
            },
            stillDeletable: (id) => listed.has(id),
            log: () => undefined,
          });
          assert.deepEqual(
            outcome.kept.map((k) => k.id),
            ready.filter((id) => at(id).kind !== 'saved'),
            'every failed or thrown download is kept and reported, in order',
          );
          assert.deepEqual(
            [...sent.keys()].sort(),
            [...notReady, ...ready.filter((id) => at(id).kind === 'saved' && !at(id).vanish)].sort(),
          );
          for (const [id, mark] of sent) assert.equal(mark, ready.includes(id), `${id}: the mark`);
          assert.deepEqual([...outcome.gone, ...outcome.failed.map((f) => f.id)].sort(), [...sent.keys()].sort());
        },
      ),
      { numRuns: 300 },
    );
  });
});
