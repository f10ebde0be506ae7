import assert from 'node:assert/strict';
import { checkApiKeyShape, parseApiKey, redact } from '../../../src/api/apiKey';
import { FalConfigError } from '../../../src/api/errors';

describe('api/apiKey', () => {
  it('accepts key_id:key_secret, trimming surrounding whitespace and splitting on the first colon', () => {
    assert.equal(checkApiKeyShape('abc123def456:sk_live_abc123def456xyz789'), undefined);
    assert.deepEqual(parseApiKey('  abc:def:ghi\n'), { keyId: 'abc', keySecret: 'def:ghi' });
  });

  const badShapes: Array<[string, string, RegExp]> = [
    ['empty', '   ', /empty/],
    ['FAL_KEY= pasted', "FAL_KEY='abc:def'", /FAL_KEY=/],
    ['export FAL_KEY=', 'export FAL_KEY=abc:def', /FAL_KEY=/],
    ['Bearer token', 'Bearer eyJhbGciOi.abc.def', /Bearer/],
    ['Key prefix', 'Key abc:def', /"Key " prefix/],
    ['quoted', '"abc:def"', /quotes/],
    ['whitespace inside', 'abc: def', /spaces or line breaks/],
    ['line break inside', 'abc:de\nf', /spaces or line breaks/],
    ['non-ASCII', 'abc:dé', /characters/],
    ['no colon', 'abcdef', /no ":"/],
    ['empty id', ':secret', /no key id/],
    ['empty secret', 'abc:', /no secret/],
  ];
  for (const [label, raw, expected] of badShapes) {
    it(`rejects a key that is ${label}, without repeating it`, () => {
      const message = checkApiKeyShape(raw);
      assert.match(message ?? '', expected);
      assert.match(message ?? '', /key_id:key_secret/);
      if (raw.trim().length > 3) assert.ok(!message?.includes(raw.trim()));
    });
  }

  it('parseApiKey throws a FalConfigError for a bad shape', () => {
    assert.throws(
      () => parseApiKey('nocolon-zsecret'),
      (err: unknown) => err instanceof FalConfigError && !err.message.includes('zsecret'),
    );
  });

  it('redact removes the key, its secret and Authorization values', () => {
    const key = 'kid123:sekret-value-99';
    assert.equal(redact('sent kid123:sekret-value-99 to fal', key), 'sent [REDACTED] to fal');
    assert.equal(redact('secret is sekret-value-99', key), 'secret is [REDACTED]');
    assert.equal(redact('Authorization: Key other:thing', key), 'Authorization: Key [REDACTED]');
    assert.equal(redact('{"authorization":"Key a:b"}'), '{"authorization":"Key [REDACTED]"}');
    assert.equal(redact('nothing to hide', key), 'nothing to hide');
  });
});
