// The one way this extension reads and writes its global state: by a key of core/storedKeys.ts,
// typed by that key's schema. A stored value that does not fit its schema reads as the key's
// default and is logged once per key (reads are frequent; one line says it all), never thrown:
// a hand-edited file must not stop the extension. The next write replaces it.
import { STORED_KEYS, type StoredKey, type StoredValue } from './storedKeys';

/** The part of vscode.Memento used here; globalState in the extension, a Map in tests. */
export interface MementoLike {
  get<T>(key: string, defaultValue: T): T;
  update(key: string, value: unknown): PromiseLike<void> | void;
}

export class StoredState {
  private readonly reported = new Set<StoredKey>();
  /**
   * The last value read per key, with the stored object it came from. A Memento returns the same
   * object until the key is written, and some keys are read once per tree row (names) or per GPU
   * target (keys): parsing a 1,000-entry map on each of 1,000 reads took ~300 ms. So a key is parsed
   * again only when its stored object is another one.
   */
  private readonly lastRead = new Map<StoredKey, { readonly raw: unknown; readonly value: unknown }>();

  constructor(
    private readonly memento: MementoLike,
    private readonly logDropped: (line: string) => void = () => undefined,
  ) {}

  get<K extends StoredKey>(key: K): StoredValue<K> {
    const { schema, fallback } = STORED_KEYS[key];
    let raw: unknown;
    try {
      raw = this.memento.get<unknown>(key, undefined);
    } catch (error) {
      // l10n-exempt: log line only (report hands it to logDropped, the log's warn)
      this.report(key, `could not be read (${String(error)})`);
      return fallback as StoredValue<K>;
    }
    if (raw === undefined) return fallback as StoredValue<K>;
    const last = this.lastRead.get(key);
    if (last && last.raw === raw) return last.value as StoredValue<K>;
    const parsed = schema.safeParse(raw);
    // l10n-exempt: log line only (report hands it to logDropped, the log's warn)
    if (!parsed.success) this.report(key, 'does not have the shape this version keeps there');
    const value = parsed.success ? parsed.data : fallback;
    this.lastRead.set(key, { raw, value });
    return value as StoredValue<K>;
  }

  async update<K extends StoredKey>(key: K, value: StoredValue<K>): Promise<void> {
    this.reported.delete(key);
    await this.memento.update(key, value);
  }

  private report(key: StoredKey, why: string): void {
    if (this.reported.has(key)) return;
    this.reported.add(key);
    // l10n-exempt: log line only (logDropped is the log's warn, see extension.ts)
    this.logDropped(`The stored ${key} ${why}; it is ignored and will be replaced on the next change.`);
  }
}
