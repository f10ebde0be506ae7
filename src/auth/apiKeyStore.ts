// The fal admin key lives in VS Code's SecretStorage and nowhere else: not in settings, not in
// globalState, not in logs. This class is the only code that reads or writes it.
import * as vscode from 'vscode';

const SECRET_ID = 'fal.apiKey';

export class ApiKeyStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly secrets: vscode.SecretStorage) {
    // Fires for changes from other windows too, so every window follows a sign-in or sign-out.
    this.subscription = secrets.onDidChange((e) => {
      if (e.key === SECRET_ID) this.changed.fire();
    });
  }

  async get(): Promise<string | undefined> {
    return (await this.secrets.get(SECRET_ID)) || undefined;
  }

  async set(key: string): Promise<void> {
    await this.secrets.store(SECRET_ID, key);
  }

  async clear(): Promise<void> {
    await this.secrets.delete(SECRET_ID);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
