// The one event of the extension's own objects (vscode.EventEmitter stays on the VS Code side: the
// pure floors cannot import it). A listener that throws is its own failure: it is reported to the
// owner's sink and the listeners after it still hear the event — one broken subscriber of the
// instances list must not leave the tree, the status bar or the cost guard behind.

/** A listener registration, like vscode.Disposable without importing vscode. */
export interface Subscription {
  dispose(): void;
}

export type Listener<T> = (value: T) => void;

export class Emitter<T> {
  private readonly listeners = new Set<Listener<T>>();

  /** `onListenerError` hears what a listener threw (the log, in the extension); without it the error is dropped. */
  constructor(private readonly onListenerError?: (error: unknown) => void) {}

  /** Subscribe; the returned object unsubscribes. */
  readonly event = (listener: Listener<T>): Subscription => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };

  fire(value: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch (error) {
        this.onListenerError?.(error);
      }
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}
