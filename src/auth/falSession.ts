// The stored key and what fal thinks of it: reading, signed out, signed in, or rejected. Every
// call to fal with the stored key goes through `client()`, whose errors pass apiFailures.ts: a
// 401/403 from ANY call moves the session to `rejected`, and it stays there until the key changes.
// The view, the status bar, the scheduler and every command follow this one state.
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { accountOf } from '../core/falAccount';
import { keyRejectionOf, type KeyRejection } from '../core/apiFailures';
import type { ApiKeyStore } from './apiKeyStore';
import { interceptErrors, type FalApi } from './falApi';

/** Makes the client for a key (auth/falClient.ts `createFalClient`: loaded with the first request, not at activation). */
export type ClientFactory = (apiKey: string, baseUrl: string, log: vscode.LogOutputChannel, version: string) => FalApi;

export type SessionState =
  | { readonly kind: 'reading' }
  | { readonly kind: 'signedOut' }
  | { readonly kind: 'signedIn' }
  | { readonly kind: 'rejected'; readonly rejection: KeyRejection };

/** Thrown by `requireClient`: the command needs a working key. The command helper words it the same way everywhere. */
export class ApiKeyNeeded extends Error {
  override readonly name = 'ApiKeyNeeded';
  constructor(readonly state: SessionState & { kind: 'signedOut' | 'rejected' }) {
    super(
      state.kind === 'rejected'
        ? state.rejection.message
        : l10n.t('No fal API key is set: Compute needs an ADMIN-scope key (fal.ai/dashboard/keys).'),
    );
  }
}

export class FalSession implements vscode.Disposable {
  private current: SessionState = { kind: 'reading' };
  /** The stored key as last read: read once per change, not per request (a secret read is a round trip). */
  private key: string | undefined;
  private accountTag: string | undefined;
  private reading: Promise<void>;
  private cached: { key: string; baseUrl: string; api: FalApi } | undefined;
  private readonly changed = new vscode.EventEmitter<SessionState>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;
  private reads = 0;

  constructor(
    private readonly keys: ApiKeyStore,
    private readonly log: vscode.LogOutputChannel,
    private readonly version: string,
    private baseUrl: () => string,
    private readonly makeClient: ClientFactory,
  ) {
    this.subscription = keys.onDidChange(() => void this.recheck());
    this.reading = this.read();
  }

  get state(): SessionState {
    return this.current;
  }

  /** Which fal account the stored key belongs to (core/falAccount.ts): names are kept per account. */
  get account(): string | undefined {
    return this.accountTag;
  }

  /** The client for the stored key, or undefined when signed out. Throws when the base URL is refused. */
  async client(): Promise<FalApi | undefined> {
    await this.reading;
    const key = this.key;
    if (!key) return undefined;
    const baseUrl = this.baseUrl();
    if (this.cached?.key !== key || this.cached.baseUrl !== baseUrl) {
      const client = this.makeClient(key, baseUrl, this.log, this.version);
      this.cached = { key, baseUrl, api: interceptErrors(client, (error) => this.noticeFailure(error)) };
    }
    return this.cached.api;
  }

  /** For commands that need the API: the client, or ApiKeyNeeded saying why not (without asking fal again). */
  async requireClient(): Promise<FalApi> {
    if (this.current.kind === 'rejected') throw new ApiKeyNeeded(this.current);
    const client = await this.client();
    if (!client) throw new ApiKeyNeeded({ kind: 'signedOut' });
    return client;
  }

  /** Forgets a rejection and tries the stored key again (fal may have granted access meanwhile). */
  recheck(): Promise<void> {
    this.reading = this.read();
    return this.reading;
  }

  /** fal refused the stored key (from any call). Idempotent. */
  reject(rejection: KeyRejection): void {
    if (this.current.kind === 'rejected' && this.current.rejection.kind === rejection.kind) return;
    this.log.warn(`${rejection.message} Nothing is sent to fal with this key until it changes.`);
    this.set({ kind: 'rejected', rejection });
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  private noticeFailure(error: unknown): void {
    const rejection = keyRejectionOf(error);
    if (rejection) this.reject(rejection);
  }

  /** (Re)reads the key: a new key (or one set in another window) starts over, forgetting any rejection. */
  private async read(): Promise<void> {
    const read = ++this.reads;
    const key = await this.keys.get();
    if (read !== this.reads) return; // a later change overtook this read
    this.key = key;
    this.accountTag = key ? accountOf(key) : undefined;
    this.cached = undefined;
    this.set(key ? { kind: 'signedIn' } : { kind: 'signedOut' });
  }

  private set(state: SessionState): void {
    this.current = state;
    this.changed.fire(state);
  }
}
