// The status bar's spend part: the tooltip gives the estimated spend today and this
// month, per instance and per creator, flagged "since this VS Code first saw it" where that limits
// the figure; with a budget set, the text shows the share used and the item turns to the warning
// colour from 80 % of it. Recomputed when the list changes, the settings change, and once a minute
// while the window is focused (a clock for the figures, no I/O).
import * as vscode from 'vscode';
import { every, now, realTimers } from '../base/timers';
import type { InstancesModel } from '../core/instancesModel';
import type { SpendFigures } from '../instances/spendFigures';
import type { Watching } from '../instances/watching';
import { SPEND_PART, spendPart } from './costPresentation';
import type { FalStatusBar } from './statusBar';

/** Keeps the spend part of the status bar current. */
export class SpendStatus implements vscode.Disposable {
  private stopClock: (() => void) | undefined;
  private readonly subscriptions: { dispose(): void }[];

  constructor(
    private readonly statusBar: FalStatusBar,
    private readonly figures: SpendFigures,
    model: InstancesModel,
    private readonly nicknameIsMine: (nick: string) => boolean,
    watching: Watching,
  ) {
    this.subscriptions = [
      model.onDidChange(() => this.update()),
      watching.onDidChange((look) => look === 'focused' && this.follow(watching.focused)),
    ];
    this.follow(watching.focused);
  }

  update(): void {
    this.statusBar.setPart(SPEND_PART, spendPart(this.figures, now(), this.nicknameIsMine));
  }

  dispose(): void {
    this.stopClock?.();
    for (const s of this.subscriptions) s.dispose();
  }

  private follow(focused: boolean): void {
    this.stopClock?.();
    this.stopClock = focused ? every(realTimers, 60_000, () => this.update()) : undefined;
    this.update();
  }
}
