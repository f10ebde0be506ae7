// The instance store. Status is computed lazily from the clock (state = f(createdAt, now)),
// so an injected clock makes every transition deterministic and no timers are needed.
import { randomBytes } from 'node:crypto';
import type { ComputeInstance, InstancePatch, SeedInstance } from './types';

export interface TimelineSettings {
  pendingMs: number;
  provisioningMs: number;
  deleteLagMs: number;
  /** Fixed IP for every timeline instance; undefined → allocate from 203.0.113.0/24. */
  ip: string | undefined;
}

interface InstanceRecord {
  instance: Omit<ComputeInstance, 'status' | 'ip'>;
  createdAt: number;
  /** Set by a seed or patch with a status: the instance no longer follows the timeline. */
  frozenStatus?: string;
  /** Frozen instances show it as is; timeline instances show it only once ready. */
  ip?: string;
  deletedAt?: number;
}

/** An instance's time on the bill: from create (or seed) to its delete, `to` undefined while it exists. */
export interface BilledSpan {
  readonly instanceType: string;
  readonly from: number;
  readonly to: number | undefined;
}

/** fal ids are opaque (doc examples look like `inst_abc123xyz`); this mimics that shape. */
export function newInstanceId(): string {
  const digits = [...randomBytes(12)].map((b) => (b % 36).toString(36)).join('');
  return `inst_${digits}`;
}

export class InstanceStore {
  /** Insertion order = creation order = the stable list order. */
  private readonly records = new Map<string, InstanceRecord>();
  /** The spans of instances already gone (the billing meter still counts them). */
  private ended: BilledSpan[] = [];
  private allocatedIps = 0;

  constructor(
    private readonly settings: TimelineSettings,
    private readonly now: () => number,
  ) {}

  /** Adds an instance created through the API; it starts at the beginning of the timeline. */
  create(instance: Omit<ComputeInstance, 'id' | 'status' | 'ip'>): ComputeInstance {
    const id = newInstanceId();
    this.records.set(id, { instance: { id, ...instance }, createdAt: this.now(), ip: this.timelineIp() });
    return this.view(id)!;
  }

  seed(seeds: SeedInstance[]): ComputeInstance[] {
    const ids = seeds.flatMap((s) => (s.id === undefined ? [] : [s.id]));
    const taken = ids.find((id, i) => this.records.has(id) || ids.indexOf(id) !== i);
    if (taken !== undefined) throw new Error(`instance ${taken} already exists`);
    return seeds.map((s) => {
      const { id = newInstanceId(), instance_type, region = 'us-west', status, ip, ...optional } = s;
      const record: InstanceRecord = { instance: { id, instance_type, region, ...optional }, createdAt: this.now() };
      if (status === undefined) record.ip = ip ?? this.timelineIp();
      else {
        record.frozenStatus = status;
        if (ip !== undefined) record.ip = ip;
      }
      this.records.set(id, record);
      return this.view(id)!;
    });
  }

  /** The instance as the API shows it now, or undefined when it does not exist (any more). */
  get(id: string): ComputeInstance | undefined {
    return this.view(id);
  }

  list(): ComputeInstance[] {
    return [...this.records.keys()].flatMap((id) => this.view(id) ?? []);
  }

  /** Returns false when there is no such (visible) instance. */
  delete(id: string): boolean {
    const record = this.records.get(id);
    if (!record || !this.view(id)) return false;
    // Deleting an instance that already shows 'stopped' during the delete lag changes nothing.
    record.deletedAt ??= this.now();
    if (this.settings.deleteLagMs <= 0) this.remove(id, record);
    return true;
  }

  update(id: string, patch: InstancePatch): ComputeInstance {
    const record = this.records.get(id);
    if (!record || !this.view(id)) throw new Error(`no instance ${id}`);
    // Field by field, so a patch from the control plane cannot touch `id` or add strays.
    const { instance_type, region, status, ip, sector, creator_user_nickname } = patch;
    if (instance_type !== undefined) record.instance.instance_type = instance_type;
    if (region !== undefined) record.instance.region = region;
    if (status !== undefined) record.frozenStatus = status;
    if (ip !== undefined) record.ip = ip ?? undefined;
    if (sector !== undefined) setOptional(record.instance, 'sector', sector);
    if (creator_user_nickname !== undefined)
      setOptional(record.instance, 'creator_user_nickname', creator_user_nickname);
    return this.view(id)!;
  }

  clear(): void {
    this.records.clear();
    this.ended = [];
    this.allocatedIps = 0;
  }

  /** Every instance's time on the bill, gone ones included; one frozen as 'stopped' is not billed. */
  billedSpans(): BilledSpan[] {
    const live = [...this.records.values()].flatMap((r) => this.spanOf(r) ?? []);
    return [...this.ended, ...live];
  }

  private spanOf(record: InstanceRecord): BilledSpan | undefined {
    if (record.frozenStatus === 'stopped') return undefined;
    return { instanceType: record.instance.instance_type, from: record.createdAt, to: record.deletedAt };
  }

  private remove(id: string, record: InstanceRecord): void {
    const span = this.spanOf(record);
    if (span) this.ended.push(span);
    this.records.delete(id);
  }

  private view(id: string): ComputeInstance | undefined {
    const record = this.records.get(id);
    if (!record) return undefined;
    const now = this.now();
    if (record.deletedAt !== undefined) {
      if (now - record.deletedAt >= this.settings.deleteLagMs) {
        this.remove(id, record);
        return undefined;
      }
      // Guess (delete aftermath is undocumented, fal §15.5): a terminating machine reads
      // 'stopped' and has no reachable IP any more.
      return { ...record.instance, status: 'stopped' };
    }
    const status = record.frozenStatus ?? this.timelineStatus(now - record.createdAt);
    const showIp = record.ip !== undefined && (record.frozenStatus !== undefined || status === 'ready');
    return { ...record.instance, status, ...(showIp ? { ip: record.ip } : {}) };
  }

  /**
   * Guess: fal documents only "provisioning" on create and "ready" ≈ 2–3 min later; an
   * optional 'pending' phase before it exercises clients that must wait through more states.
   */
  private timelineStatus(elapsedMs: number): string {
    const { pendingMs, provisioningMs } = this.settings;
    if (elapsedMs < pendingMs) return 'pending';
    if (elapsedMs < pendingMs + provisioningMs) return 'provisioning';
    return 'ready';
  }

  /** IPs from TEST-NET-3 (203.0.113.0/24), the range fal's own docs use; wraps after .254. */
  private timelineIp(): string {
    if (this.settings.ip !== undefined) return this.settings.ip;
    const host = 10 + (this.allocatedIps++ % 245);
    return `203.0.113.${host}`;
  }
}

function setOptional<K extends 'sector' | 'creator_user_nickname'>(
  target: Partial<Pick<ComputeInstance, K>>,
  key: K,
  value: ComputeInstance[K] | null,
): void {
  if (value === null) delete target[key];
  else target[key] = value;
}
