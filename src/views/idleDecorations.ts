// The idle marker of a ready row: a file decoration (badge + warning colour on the label) on the
// row's own `fal-instance:` resource URI, so it composes with whatever label and description the
// row has. The sampler says when the idle state changes; the decoration is recomputed then.
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { realTimers } from '../base/timers';
import type { GpuSampler } from '../gpu';
import { idleText } from './gpuPresentation';

export const INSTANCE_SCHEME = 'fal-instance';

export function instanceUri(id: string): vscode.Uri {
  return vscode.Uri.from({ scheme: INSTANCE_SCHEME, path: `/${id}` });
}

export class IdleDecorations implements vscode.FileDecorationProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri[]>();
  readonly onDidChangeFileDecorations = this.changed.event;
  private readonly subscription: { dispose(): void };

  constructor(
    private readonly sampler: GpuSampler,
    private readonly enabled: () => boolean,
    private readonly now: () => number = realTimers.now,
  ) {
    this.subscription = sampler.onDidChangeIdle((id) => this.changed.fire([instanceUri(id)]));
  }

  provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    if (uri.scheme !== INSTANCE_SCHEME || !this.enabled()) return undefined;
    const id = uri.path.slice(1);
    const since = this.sampler.idleSince(id);
    if (since === undefined || !this.sampler.isIdle(id)) return undefined;
    const decoration = new vscode.FileDecoration(
      'zz',
      l10n.t`${idleText(this.now() - since)}: every GPU nearly unused, no GPU process`,
      new vscode.ThemeColor('list.warningForeground'),
    );
    decoration.propagate = false;
    return decoration;
  }

  /** Every decoration again (settings changed). */
  refreshAll(): void {
    this.changed.fire([]);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
