// The smoke test's comparison of what fal sends with fal's OpenAPI document: fields it does not
// list, values outside an enum, other types, undeclared statuses — counted, not repeated.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ResponseCapture, type OpenApi } from '../../smoke/unlisted';

const spec = JSON.parse(readFileSync('test/fixtures/fal-platform-openapi.json', 'utf8')) as OpenApi;
const body = (value: unknown) => Buffer.from(JSON.stringify(value));
const row = { id: 'inst_a', instance_type: 'gpu_1x_h100_sxm5', region: 'us-west', status: 'ready', ip: '203.0.113.7' };

describe('smoke:live: what fal sends beyond its OpenAPI', () => {
  it('names unlisted fields (nested too), enum values and types the schema rules out, and undeclared statuses', () => {
    const capture = new ResponseCapture(spec, '/v1');
    capture.record(
      'GET',
      '/v1/compute/instances/inst_a',
      200,
      ['x-request-id'],
      body({ ...row, status: 'booting', created_at: 1 }),
    );
    capture.record('GET', '/v1/compute/instances/inst_a', 200, [], body({ ...row, ip: 7, created_at: 2 }));
    capture.record(
      'GET',
      '/v1/compute/instances?limit=100',
      200,
      [],
      body({ instances: [{ ...row, gpu: { model: 'H100' } }], next_cursor: null, has_more: false, total: 1 }),
    );
    capture.record(
      'GET',
      '/v1/account/billing?expand=credits',
      200,
      [],
      body({ username: 'team', credits: { current_balance: 3, currency: 'USD', lock_threshold: 0 } }),
    );
    capture.record('DELETE', '/v1/compute/instances/inst_a', 202, [], body({}));
    const found = capture.unlisted().map((f) => `${f.endpoint} | ${f.kind} | ${f.path} | ${f.example} | ${f.seen}`);
    assert.deepEqual(found, [
      'GET /compute/instances/{id} 200 | value not in the enum | status | "booting" | 1',
      'GET /compute/instances/{id} 200 | field not in the schema | created_at | 1 | 2',
      'GET /compute/instances/{id} 200 | type not in the schema | ip | 7 | 1',
      'GET /compute/instances 200 | field not in the schema | instances[].gpu | {"model":"H100"} | 1',
      'GET /compute/instances 200 | field not in the schema | total | 1 | 1',
      'GET /account/billing 200 | field not in the schema | credits.lock_threshold | 0 | 1',
      'DELETE /compute/instances/{id} 202 | status not declared |  | 202 | 1',
    ]);
    assert.deepEqual(capture.headerNames()['GET /compute/instances/{id} 200'], ['x-request-id']);
  });

  it('finds nothing in answers that keep to the schema', () => {
    const capture = new ResponseCapture(spec, '/v1');
    capture.record('POST', '/v1/compute/instances', 201, [], body({ ...row, status: 'provisioning', ip: undefined }));
    capture.record(
      'GET',
      '/v1/compute/instances/x',
      404,
      [],
      body({ error: { type: 'not_found', message: 'Resource not found' } }),
    );
    capture.record('DELETE', '/v1/compute/instances/x', 204, [], Buffer.alloc(0));
    assert.deepEqual(capture.unlisted(), []);
  });
});
