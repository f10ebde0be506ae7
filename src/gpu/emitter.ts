// A tiny event: pure modules fire these, the vscode side adapts them (no vscode.EventEmitter here).
import type { Unsubscribe } from './types';

export class Emitter<T> {
  private readonly listeners = new Set<(value: T) => void>();

  /** Subscribe; the returned object unsubscribes. */
  readonly event = (listener: (value: T) => void): Unsubscribe => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };

  fire(value: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch {
        /* a listener's error is its own; the emitter's owner keeps going */
      }
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}
