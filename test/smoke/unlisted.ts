// What fal really sends, compared with what its OpenAPI document lists
// (test/fixtures/fal-platform-openapi.json): every response body the client receives is seen here
// too, through an undici interceptor on the client's own dispatcher (the client parses and drops
// what it does not know, so its results cannot tell). Reported: fields the schema does not list,
// values outside a listed enum, values of another type, statuses the operation does not declare,
// and the response headers' names (fal documents none).
import type { Dispatcher } from 'undici';

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  enum?: unknown[];
  $ref?: string;
};
interface Operation {
  responses?: Record<string, { content?: { 'application/json'?: { schema?: Schema } } }>;
}
export interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
}

export type FindingKind =
  'field not in the schema' | 'value not in the enum' | 'type not in the schema' | 'status not declared';

export interface Finding {
  /** e.g. `GET /compute/instances/{id} 200`. */
  readonly endpoint: string;
  readonly kind: FindingKind;
  /** Where in the body, e.g. `instances[].hostname` (empty for the body itself). */
  readonly path: string;
  /** The first value seen, as JSON, capped. */
  readonly example: string;
  seen: number;
}

const EXAMPLE_CHARS = 200;
const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** The findings of one body against the schema of its operation and status. */
export function findUnlisted(
  body: unknown,
  schema: Schema | undefined,
  spec: OpenApi,
  at = '',
): Omit<Finding, 'endpoint' | 'seen'>[] {
  const found: Omit<Finding, 'endpoint' | 'seen'>[] = [];
  const example = (v: unknown) => {
    const text = JSON.stringify(v) ?? String(v);
    return text.length > EXAMPLE_CHARS ? `${text.slice(0, EXAMPLE_CHARS - 1)}…` : text;
  };
  const walk = (value: unknown, s: Schema | undefined, path: string, depth: number): void => {
    if (!s || depth > 32) return;
    if (s.$ref) return walk(value, resolveRef(spec, s.$ref), path, depth + 1);
    const types = s.type === undefined ? undefined : Array.isArray(s.type) ? s.type : [s.type];
    if (types && !types.some((t) => matchesType(value, t))) {
      found.push({ kind: 'type not in the schema', path, example: example(value) });
      return;
    }
    if (s.enum && !s.enum.includes(value)) found.push({ kind: 'value not in the enum', path, example: example(value) });
    if (Array.isArray(value)) {
      for (const item of value) walk(item, s.items, `${path}[]`, depth + 1);
      return;
    }
    if (value && typeof value === 'object' && s.properties) {
      for (const [key, inner] of Object.entries(value)) {
        const where = path ? `${path}.${key}` : key;
        if (Object.hasOwn(s.properties, key)) walk(inner, s.properties[key], where, depth + 1);
        else found.push({ kind: 'field not in the schema', path: where, example: example(inner) });
      }
    }
  };
  walk(body, schema, at, 0);
  return found;
}

function matchesType(value: unknown, type: string): boolean {
  switch (type) {
    case 'null':
      return value === null;
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'integer':
      return Number.isInteger(value);
    default:
      return typeof value === type;
  }
}

function resolveRef(spec: OpenApi, ref: string): Schema | undefined {
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = spec;
  for (const part of ref.slice(2).split('/')) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    node = node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
  }
  return node as Schema | undefined;
}

/** Collects every answer's findings and header names, keyed by operation; the bodies are not kept. */
export class ResponseCapture {
  private readonly findings = new Map<string, Finding>();
  private readonly headers = new Map<string, Set<string>>();
  private readonly templates: { template: string; pattern: RegExp }[];

  constructor(
    private readonly spec: OpenApi,
    /** The base URL's path (`/v1`): paths are matched relative to it. */
    private readonly basePath: string,
  ) {
    this.templates = Object.keys(spec.paths).map((template) => ({
      template,
      pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`),
    }));
  }

  /** An undici interceptor: passes everything through unchanged, keeping a copy of each body until it ends. */
  readonly interceptor =
    (dispatch: Dispatcher['dispatch']): Dispatcher['dispatch'] =>
    (opts, handler) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let status = 0;
      let headerNames: string[] = [];
      const h = handler as Dispatcher.DispatchHandler;
      return dispatch(opts, {
        onRequestStart: (controller, context) => h.onRequestStart?.(controller, context),
        onRequestUpgrade: (controller, statusCode, headers, socket) =>
          h.onRequestUpgrade?.(controller, statusCode, headers, socket),
        onResponseStart: (controller, statusCode, headers, statusMessage) => {
          status = statusCode;
          headerNames = Object.keys(headers).map((n) => n.toLowerCase());
          return h.onResponseStart?.(controller, statusCode, headers, statusMessage);
        },
        onResponseData: (controller, chunk) => {
          size += chunk.length;
          if (size <= MAX_BODY_BYTES) chunks.push(chunk);
          return h.onResponseData?.(controller, chunk);
        },
        onResponseEnd: (controller, trailers) => {
          try {
            this.record(
              opts.method,
              opts.path,
              status,
              headerNames,
              size <= MAX_BODY_BYTES ? Buffer.concat(chunks) : undefined,
            );
          } catch {
            // What is seen here must never change what the client gets.
          }
          return h.onResponseEnd?.(controller, trailers);
        },
        onResponseError: (controller, error) => h.onResponseError?.(controller, error),
      });
    };

  record(
    method: string,
    rawPath: string,
    status: number,
    headerNames: readonly string[],
    body: Buffer | undefined,
  ): void {
    const path = rawPath.split('?')[0]!;
    const relative = path.startsWith(this.basePath) ? path.slice(this.basePath.length) || '/' : path;
    const template = this.templates.find((t) => t.pattern.test(relative))?.template ?? relative;
    const operation = this.spec.paths[template]?.[method.toLowerCase()];
    const endpoint = `${method} ${template} ${status}`;
    const names = this.headers.get(endpoint) ?? new Set<string>();
    for (const name of headerNames) names.add(name);
    this.headers.set(endpoint, names);
    const declared = operation?.responses?.[String(status)];
    if (!declared) {
      this.add(endpoint, { kind: 'status not declared', path: '', example: String(status) });
      return;
    }
    const schema = declared.content?.['application/json']?.schema;
    if (!schema || !body || body.length === 0) return;
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      this.add(endpoint, { kind: 'type not in the schema', path: '', example: 'a body that is not JSON' });
      return;
    }
    for (const finding of findUnlisted(json, schema, this.spec)) this.add(endpoint, finding);
  }

  private add(endpoint: string, finding: Omit<Finding, 'endpoint' | 'seen'>): void {
    const id = `${endpoint}\n${finding.kind}\n${finding.path}`;
    const known = this.findings.get(id);
    if (known) known.seen++;
    else this.findings.set(id, { endpoint, ...finding, seen: 1 });
  }

  /** What fal sent beyond its schema, in the order first seen. */
  unlisted(): Finding[] {
    return [...this.findings.values()];
  }

  /** The response headers' names per operation and status. */
  headerNames(): Record<string, string[]> {
    return Object.fromEntries([...this.headers].map(([endpoint, names]) => [endpoint, [...names].sort()]));
  }
}
