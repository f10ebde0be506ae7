import assert from 'node:assert/strict';
import {
  ComputeInstanceSchema,
  describeSchemaIssues,
  ErrorEnvelopeSchema,
  isKnownInstanceType,
  isKnownRegion,
  isKnownSector,
  isKnownStatus,
  ListEnvelopeSchema,
  unrecognizedFields,
} from '../../../src/api/schemas';

const specExample = {
  id: 'inst_abc123xyz',
  instance_type: 'gpu_1x_h100_sxm5',
  region: 'us-west',
  sector: 'sector_1',
  ip: '203.0.113.42',
  status: 'ready',
  creator_user_nickname: 'developer',
};

describe('api/schemas', () => {
  it('parses the OpenAPI example instance unchanged', () => {
    const parsed = ComputeInstanceSchema.parse(specExample);
    assert.deepEqual(parsed, specExample);
    assert.deepEqual(unrecognizedFields(parsed), []);
  });

  it('keeps unknown instance_type, region, status and sector values and reports them', () => {
    const parsed = ComputeInstanceSchema.parse({
      ...specExample,
      instance_type: 'gpu_4x_b200',
      region: 'ap-south',
      status: 'hibernating',
      sector: 'sector_9',
    });
    assert.equal(parsed.status, 'hibernating');
    assert.equal(parsed.region, 'ap-south');
    assert.deepEqual(unrecognizedFields(parsed), ['instance_type', 'region', 'status', 'sector']);
  });

  it('ignores fields the client does not know', () => {
    const parsed = ComputeInstanceSchema.parse({ ...specExample, created_at: '2026-01-01', price: { usd: 2 } });
    assert.ok(!('created_at' in parsed));
    assert.ok(!('price' in parsed));
  });

  it('treats null or absent sector, ip and creator_user_nickname as absent', () => {
    const withNulls = ComputeInstanceSchema.parse({
      ...specExample,
      sector: null,
      ip: null,
      creator_user_nickname: null,
    });
    const { sector: _s, ip: _i, creator_user_nickname: _c, ...required } = specExample;
    const absent = ComputeInstanceSchema.parse(required);
    for (const parsed of [withNulls, absent]) {
      assert.equal(parsed.sector, undefined);
      assert.equal(parsed.ip, undefined);
      assert.equal(parsed.creator_user_nickname, undefined);
      assert.deepEqual(unrecognizedFields(parsed), []);
    }
  });

  it('rejects a missing or empty id, a wrong type and null in a required field', () => {
    const { id: _id, ...noId } = specExample;
    for (const bad of [
      noId,
      { ...specExample, id: '' },
      { ...specExample, id: 42 },
      { ...specExample, status: null },
      { ...specExample, ip: 7 },
    ]) {
      assert.equal(ComputeInstanceSchema.safeParse(bad).success, false, JSON.stringify(bad));
    }
  });

  it('requires all three keys of the list envelope and accepts a null next_cursor', () => {
    assert.ok(ListEnvelopeSchema.safeParse({ instances: [specExample], next_cursor: null, has_more: false }).success);
    assert.ok(ListEnvelopeSchema.safeParse({ instances: [], next_cursor: 'Mg==', has_more: true }).success);
    for (const bad of [
      { instances: [], has_more: false },
      { instances: [], next_cursor: null },
      { next_cursor: null, has_more: false },
      { instances: null, next_cursor: null, has_more: false },
      [specExample],
    ]) {
      assert.equal(ListEnvelopeSchema.safeParse(bad).success, false, JSON.stringify(bad));
    }
  });

  it('describes schema problems with the path of the offending field', () => {
    const result = ListEnvelopeSchema.safeParse({ instances: [], next_cursor: 3, has_more: false });
    assert.ok(!result.success);
    assert.equal(describeSchemaIssues(result.error), 'next_cursor: expected string, received number');
    const row = ComputeInstanceSchema.safeParse({ ...specExample, id: 3 });
    assert.ok(!row.success);
    assert.equal(describeSchemaIssues(row.error), 'id: expected string, received number');
  });

  it('parses the error envelope with optional docs_url and request_id', () => {
    const parsed = ErrorEnvelopeSchema.parse({
      error: { type: 'not_found', message: 'Resource not found', request_id: 'req_1' },
    });
    assert.equal(parsed.error.request_id, 'req_1');
    assert.equal(parsed.error.docs_url, undefined);
    assert.equal(
      ErrorEnvelopeSchema.safeParse({ error: { type: 'x' } }).success,
      false,
      "no message: not fal's envelope",
    );
    const odd = ErrorEnvelopeSchema.parse({
      error: { type: 7, message: 'Access denied', request_id: 42, docs_url: ['x'] },
    });
    assert.deepEqual(
      [odd.error.type, odd.error.message, odd.error.request_id, odd.error.docs_url],
      ['http_error', 'Access denied', undefined, undefined],
      "fields of the wrong type are dropped, fal's message kept",
    );
  });

  it('type guards recognise exactly the documented enum values', () => {
    assert.ok(isKnownStatus('provisioning') && !isKnownStatus('Provisioning') && !isKnownStatus(undefined));
    assert.ok(isKnownRegion('eu-north') && !isKnownRegion('eu-south'));
    assert.ok(isKnownInstanceType('gpu_8x_h100_sxm5') && !isKnownInstanceType('1xH100-SXM'));
    assert.ok(isKnownSector('sector_3') && !isKnownSector('sector_4'));
  });
});
