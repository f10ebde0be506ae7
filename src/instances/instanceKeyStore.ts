// Which private key belongs to which instance. fal keeps only the public half and has no API
// to read it back, so the create wizard records the private key's path here and Connect reads it.
// Paths only: key material never goes into VS Code's state.
import { Emitter } from '../base/emitter';
import type { StoredState } from '../core/storedState';

export class InstanceKeyStore {
  private readonly changes = new Emitter<string>();
  /** Called with the instance id after its key was remembered or forgotten (the GPU view follows). */
  readonly onDidChange = this.changes.event;

  constructor(private readonly stored: StoredState) {}

  get(instanceId: string): string | undefined {
    return this.all()[instanceId];
  }

  /** Every instance id with a remembered key (for removing those of deleted instances). */
  ids(): string[] {
    return Object.keys(this.all());
  }

  async set(instanceId: string, privateKeyPath: string): Promise<void> {
    await this.stored.update('fal.instanceKeys', { ...this.all(), [instanceId]: privateKeyPath });
    this.changes.fire(instanceId);
  }

  async delete(instanceId: string): Promise<void> {
    const { [instanceId]: _removed, ...rest } = this.all();
    await this.stored.update('fal.instanceKeys', rest);
    this.changes.fire(instanceId);
  }

  private all(): Record<string, string> {
    return this.stored.get('fal.instanceKeys');
  }
}
