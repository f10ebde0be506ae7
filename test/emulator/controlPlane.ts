// HTTP control plane for tests that run the emulator in another process (extension host,
// e2e). Plain JSON under /_emulator/, no auth, never recorded in `requests`.
//   GET    /_emulator/health          {ok, baseUrl}
//   GET    /_emulator/requests        {requests, maxConcurrent}
//   DELETE /_emulator/requests
//   GET    /_emulator/instances       ComputeInstance[]
//   POST   /_emulator/instances       body SeedInstance[] → 201 ComputeInstance[]
//   PATCH  /_emulator/instances/{id}  body InstancePatch → ComputeInstance
//   GET    /_emulator/billing         BillingState (the balance now, currency, username, rates)
//   PATCH  /_emulator/billing         body BillingOptions → BillingState (from now on)
//   POST   /_emulator/faults          body Fault | Fault[] (times: null = until cleared)
//   DELETE /_emulator/faults
//   POST   /_emulator/reset
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FalEmulator } from './emulator';
import { parseFault } from './faults';
import { readBody, writeResponse, type ApiResponse } from './http';
import type { BillingOptions, InstancePatch, SeedInstance } from './types';

export async function handleControlPlane(
  emulator: FalEmulator,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const { text } = await readBody(req, 10 * 1024 * 1024);
  let response: ApiResponse;
  try {
    response = dispatch(emulator, req.method ?? 'GET', url.pathname.slice('/_emulator/'.length), text);
  } catch (err) {
    response = { status: 400, body: { error: err instanceof Error ? err.message : String(err) } };
  }
  writeResponse(res, response);
}

function dispatch(emulator: FalEmulator, method: string, path: string, body: string): ApiResponse {
  const call = `${method} ${path}`;
  switch (call) {
    case 'GET health':
      return ok({ ok: true, baseUrl: emulator.baseUrl });
    case 'GET requests':
      return ok({ requests: emulator.requests, maxConcurrent: emulator.maxConcurrent });
    case 'DELETE requests':
      emulator.clearRequests();
      return { status: 204 };
    case 'GET instances':
      return ok(emulator.instances());
    case 'POST instances':
      return { status: 201, body: emulator.seed(parseSeeds(parseJson(body))) };
    case 'GET billing':
      return ok(emulator.billingState());
    case 'PATCH billing':
      return ok(emulator.setBilling(parseBilling(parseJson(body))));
    case 'POST faults': {
      const json = parseJson(body);
      // Validate all before adding any, so a bad list adds nothing.
      const faults = (Array.isArray(json) ? json : [json]).map(parseFault);
      faults.forEach((f) => emulator.addFault(f));
      return { status: 204 };
    }
    case 'DELETE faults':
      emulator.clearFaults();
      return { status: 204 };
    case 'POST reset':
      emulator.reset();
      return { status: 204 };
  }
  if (method === 'PATCH' && path.startsWith('instances/')) {
    const id = decodeURIComponent(path.slice('instances/'.length));
    const patch = parseJson(body);
    if (typeof patch !== 'object' || patch === null || Array.isArray(patch))
      throw new Error('the patch must be an object');
    if (!emulator.instances().some((i) => i.id === id)) return { status: 404, body: { error: `no instance ${id}` } };
    return ok(emulator.updateInstance(id, patch as InstancePatch));
  }
  return { status: 404, body: { error: `no control-plane route ${call}` } };
}

function ok(body: unknown): ApiResponse {
  return { status: 200, body };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new Error('the body must be JSON');
  }
}

/** The shape is checked, not the values: a test may set a hostile balance on purpose. */
function parseBilling(json: unknown): BillingOptions {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error('the body must be an object');
  const { balance, currency, username, hourlyRates } = json as Record<string, unknown>;
  if (balance !== undefined && typeof balance !== 'number') throw new Error('balance must be a number');
  if (currency !== undefined && typeof currency !== 'string') throw new Error('currency must be a string');
  if (username !== undefined && typeof username !== 'string') throw new Error('username must be a string');
  if (
    hourlyRates !== undefined &&
    (typeof hourlyRates !== 'object' ||
      hourlyRates === null ||
      Object.values(hourlyRates).some((rate) => typeof rate !== 'number'))
  )
    throw new Error('hourlyRates must map instance types to numbers');
  return json as BillingOptions;
}

/** Only the shape is checked: seeds may carry any string values, even unknown enum members. */
function parseSeeds(json: unknown): SeedInstance[] {
  if (!Array.isArray(json)) throw new Error('the body must be an array of instances');
  for (const item of json) {
    if (typeof item !== 'object' || item === null || Array.isArray(item))
      throw new Error('each instance must be an object');
    if (typeof (item as { instance_type?: unknown }).instance_type !== 'string')
      throw new Error('each instance needs an instance_type');
    for (const [field, value] of Object.entries(item)) {
      if (typeof value !== 'string') throw new Error(`instance field ${field} must be a string`);
    }
  }
  return json as SeedInstance[];
}
