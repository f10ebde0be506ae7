// Whether someone looks, owned once: Watching follows the window's focus and the Instances view's
// visibility and tells every watcher (refresh, GPU sampling, setup, jobs) through one event, naming
// the signal that changed (the GPU view words "hidden" and "unfocused" apart).
import assert from 'node:assert/strict';
import { Emitter } from '../../../src/base/emitter';
import { Watching, type Look } from '../../../src/instances/watching';

/** The window and the view as VS Code reports them, driven by the test. */
function harness(focused = true) {
  const windowChanges = new Emitter<{ focused: boolean }>();
  const window = { state: { focused, active: focused }, onDidChangeWindowState: windowChanges.event };
  const viewChanges = new Emitter<{ visible: boolean }>();
  const view = { visible: false, onDidChangeVisibility: viewChanges.event };
  const failures: unknown[] = [];
  const watching = new Watching(window as never, (e) => failures.push(e));
  const heard: string[] = [];
  watching.onDidChange((look: Look) => heard.push(`${look}: looks ${watching.someoneLooks}`));
  return {
    watching,
    heard,
    failures,
    focus: (f: boolean) => windowChanges.fire({ focused: f }),
    show: (v: boolean) => {
      view.visible = v;
      viewChanges.fire({ visible: v });
    },
    attach: (visible: boolean) => {
      view.visible = visible;
      watching.attachView(view as never);
    },
  };
}

describe('Watching (someone looks: the view visible and the window focused)', () => {
  it("starts with the window's focus and no view: nobody looks until a visible view is attached", () => {
    const h = harness(true);
    assert.equal(h.watching.focused, true);
    assert.equal(h.watching.visible, false);
    assert.equal(h.watching.someoneLooks, false);
    h.attach(true);
    assert.deepEqual(h.heard, ['visible: looks true']);
    assert.equal(h.watching.someoneLooks, true);
    assert.equal(harness(false).watching.focused, false);
  });

  it('the view attached hidden is still reported once (its watchers learn the view exists)', () => {
    const h = harness(true);
    h.attach(false);
    assert.deepEqual(h.heard, ['visible: looks false']);
  });

  it('either signal lost: nobody looks, and the other is kept (the GPU view says "unfocused" or "hidden"); back: someone looks', () => {
    const h = harness(true);
    h.attach(true);
    h.focus(false);
    assert.equal(h.watching.someoneLooks, false);
    assert.equal(h.watching.visible, true, 'the view is still visible: unfocused, not hidden');
    h.focus(true);
    h.show(false);
    assert.equal(h.watching.someoneLooks, false);
    assert.equal(h.watching.focused, true, 'the window is still focused: hidden, not unfocused');
    h.show(true);
    assert.deepEqual(h.heard, [
      'visible: looks true',
      'focused: looks false',
      'focused: looks true',
      'visible: looks false',
      'visible: looks true',
    ]);
  });

  it('a signal reported again unchanged (the window only turning inactive) fires nothing', () => {
    const h = harness(false);
    h.attach(true);
    h.focus(false);
    h.show(true);
    h.focus(true);
    h.focus(true);
    assert.deepEqual(h.heard, ['visible: looks false', 'focused: looks true']);
  });

  it('tell: a policy that takes the signals apart hears both now, then only the one that changed', () => {
    const h = harness(false);
    const told: string[] = [];
    const follower = {
      setVisible: (v: boolean) => told.push(`visible ${v}`),
      setFocused: (f: boolean) => told.push(`focused ${f}`),
    };
    const subscription = h.watching.tell(follower);
    h.attach(true);
    h.focus(true);
    h.show(false);
    subscription.dispose();
    h.focus(false);
    assert.deepEqual(told, ['visible false', 'focused false', 'visible true', 'focused true', 'visible false']);
  });

  it('a follower that throws is reported, and the followers after it still hear the change', () => {
    const h = harness(true);
    const after: Look[] = [];
    h.watching.onDidChange(() => {
      throw new Error('broken follower');
    });
    h.watching.onDidChange((look) => after.push(look));
    h.attach(true);
    assert.deepEqual(after, ['visible']);
    assert.equal((h.failures[0] as Error).message, 'broken follower');
  });

  it('disposed: it follows neither the window nor the view any more', () => {
    const h = harness(true);
    h.attach(true);
    h.watching.dispose();
    h.focus(false);
    h.show(false);
    assert.deepEqual(h.heard, ['visible: looks true']);
    assert.equal(h.watching.someoneLooks, true, 'what it last knew');
  });
});
