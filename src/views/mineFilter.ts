// The Mine filter of the Instances view: on or off, remembered across reloads, and the context key
// that swaps its two title buttons. Its own small owner so that the first paint shows it (the view's
// "mine" description, the right button) before the cost guard — which says what is mine — is built.
import { Emitter, type Subscription } from '../base/emitter';
import type { StoredState } from '../core/storedState';
import { setContextKey } from './contextKeys';

export class MineFilter {
  private readonly changed = new Emitter<boolean>();
  /** Fires with the new value when the filter is switched. */
  readonly onDidChange: (listener: (on: boolean) => void) => Subscription = this.changed.event;
  private mine: boolean;

  constructor(private readonly stored: StoredState) {
    this.mine = stored.get('fal.instances.mineOnly');
    void setContextKey('fal.mineOnly', this.mine);
  }

  get mineOnly(): boolean {
    return this.mine;
  }

  async set(on: boolean): Promise<void> {
    if (on === this.mine) return;
    this.mine = on;
    await setContextKey('fal.mineOnly', on);
    this.changed.fire(on);
    await this.stored.update('fal.instances.mineOnly', on);
  }
}
