import assert from 'node:assert/strict';
import { Emitter } from '../../../src/base/emitter';

describe('Emitter', () => {
  it('a listener that throws is reported to the sink, and the listeners after it still hear the event', () => {
    const errors: unknown[] = [];
    const emitter = new Emitter<number>((error) => errors.push(error));
    const heard: number[] = [];
    emitter.event(() => {
      throw new Error('broken');
    });
    emitter.event((n) => heard.push(n));
    emitter.fire(1);
    assert.deepEqual(heard, [1]);
    assert.deepEqual(
      errors.map((e) => (e as Error).message),
      ['broken'],
    );
  });

  it('a disposed listener hears nothing more, and one added while firing waits for the next event', () => {
    const emitter = new Emitter<number>();
    const heard: string[] = [];
    const first = emitter.event((n) => {
      heard.push(`first ${n}`);
      emitter.event((m) => heard.push(`late ${m}`));
    });
    emitter.fire(1);
    first.dispose();
    emitter.fire(2);
    assert.deepEqual(heard, ['first 1', 'late 2']);
  });
});
