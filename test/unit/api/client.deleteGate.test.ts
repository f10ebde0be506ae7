// The last check before a DELETE lives in the client's transport: `beforeAttempt` runs right before
// each attempt is sent — a retried DELETE is asked again — and a throw means nothing is sent.
import assert from 'node:assert/strict';
import { errorBody, FAST_RETRY, clientFor, rejectionOf, sendJson, serversPerTest } from './testServer';

describe('api/client: the check right before each DELETE attempt', () => {
  const start = serversPerTest();

  it('runs before every attempt, retries included, and the request follows it', async () => {
    let answered = 0;
    const fal = await start((_req, res) =>
      ++answered < 3 ? sendJson(res, 503, errorBody('unavailable', 'try again')) : res.writeHead(204).end(),
    );
    const seen: number[] = [];
    const result = await clientFor(fal, { retry: FAST_RETRY }).deleteInstance('inst_a', {
      beforeAttempt: () => seen.push(fal.requests.length),
    });
    assert.deepEqual(result, { alreadyGone: false });
    assert.deepEqual(
      seen,
      [0, 1, 2],
      'asked before each of the three attempts, each time before that attempt reached fal',
    );
  });

  it('a throw before the first attempt sends nothing and is the error the caller gets', async () => {
    const fal = await start((_req, res) => res.writeHead(204).end());
    const stop = new Error('it is protected from auto-delete');
    const err = await rejectionOf(
      clientFor(fal).deleteInstance('inst_a', {
        beforeAttempt: () => {
          throw stop;
        },
      }),
    );
    assert.equal(err, stop);
    assert.equal(fal.requests.length, 0);
  });

  it('a throw before a retry ends the call: the DELETE is not sent again', async () => {
    const fal = await start((_req, res) => sendJson(res, 503, errorBody('unavailable', 'try again')));
    let calls = 0;
    const err = await rejectionOf(
      clientFor(fal, { retry: FAST_RETRY }).deleteInstance('inst_a', {
        beforeAttempt: () => {
          if (++calls > 1) throw new Error('a GPU process started');
        },
      }),
    );
    assert.match(String(err), /a GPU process started/);
    assert.equal(fal.requests.length, 1, 'only the first attempt reached fal');
  });

  it("once: a single attempt, its failure final (the auto-delete's DELETE)", async () => {
    const fal = await start((_req, res) => sendJson(res, 503, errorBody('unavailable', 'try again')));
    let asked = 0;
    const err = await rejectionOf(
      clientFor(fal, { retry: FAST_RETRY }).deleteInstance('inst_a', { beforeAttempt: () => void asked++, once: true }),
    );
    assert.match(String(err), /503/);
    assert.equal(fal.requests.length, 1);
    assert.equal(asked, 1);
  });

  it("the first attempt's check runs within the call itself, before it returns (the caller marks the row after it)", async () => {
    const fal = await start((_req, res) => res.writeHead(204).end());
    let asked = false;
    const pending = clientFor(fal).deleteInstance('inst_a', { beforeAttempt: () => (asked = true) });
    assert.equal(asked, true, 'asked synchronously: nothing can happen between the check and the request');
    await pending;
  });
});
