import * as vscode from 'vscode';

// Wiring only: each feature lives in its own module under src/commands and src/views.
export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('fal Compute', { log: true });
  context.subscriptions.push(
    log,
    vscode.commands.registerCommand('fal.showLogs', () => log.show(true)),
  );
  log.info(`fal Compute ${context.extension.packageJSON.version} activated`);
}

export function deactivate(): void {}
