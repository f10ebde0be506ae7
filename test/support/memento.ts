// An in-memory vscode.Memento (global state) for tests: values are stored as JSON, like VS Code does.
export class MapState {
  readonly data = new Map<string, unknown>();
  get<T>(key: string, d: T): T {
    return (this.data.has(key) ? this.data.get(key) : d) as T;
  }
  async update(key: string, value: unknown): Promise<void> {
    this.data.set(key, JSON.parse(JSON.stringify(value)));
  }
}
