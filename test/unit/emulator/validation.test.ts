import assert from 'node:assert/strict';
import { create, useEmulator, VALID_CREATE } from './helpers';

describe('emulator: create body validation', () => {
  const emulator = useEmulator();

  const invalid: [string, { body?: unknown; rawBody?: string; contentType?: string }][] = [
    ['malformed JSON', { rawBody: '{"instance_type":' }],
    ['an empty body', { rawBody: '' }],
    ['a JSON array', { body: [VALID_CREATE] }],
    ['a JSON string', { body: 'gpu_1x_h100_sxm5' }],
    ['an unknown instance_type', { body: { ...VALID_CREATE, instance_type: 'gpu_4x_h100_sxm5' } }],
    ['a missing instance_type', { body: { ssh_key: VALID_CREATE.ssh_key } }],
    ['a missing ssh_key', { body: { instance_type: 'gpu_1x_h100_sxm5' } }],
    ['an empty ssh_key', { body: { ...VALID_CREATE, ssh_key: '' } }],
    ['an unknown sector', { body: { ...VALID_CREATE, instance_type: 'gpu_8x_h100_sxm5', sector: 'sector_9' } }],
    [
      'a sector with the 1x type (sectorWith1x "reject", the default)',
      { body: { ...VALID_CREATE, sector: 'sector_1' } },
    ],
    ['a non-JSON Content-Type', { rawBody: JSON.stringify(VALID_CREATE), contentType: 'text/plain' }],
  ];

  for (const [label, request] of invalid) {
    it(`answers 400 validation_error "Invalid request parameters" to ${label}`, async () => {
      const reply = await create(emulator(), request.body, request);
      assert.equal(reply.status, 400, reply.text);
      assert.equal(reply.json.error.type, 'validation_error');
      assert.match(reply.json.error.message, /^Invalid request parameters: \S/);
      assert.equal(emulator().instances().length, 0);
    });
  }

  it('ignores unknown body fields and accepts a charset on the Content-Type', async () => {
    const reply = await create(emulator(), undefined, {
      rawBody: JSON.stringify({ ...VALID_CREATE, label: 'x' }),
      contentType: 'application/json; charset=utf-8',
    });
    assert.equal(reply.status, 201, reply.text);
  });
});
