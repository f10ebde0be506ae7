// The cost guard's commands, registered together for extension.ts: Protect and its undo, Keep (a
// reminder's button), a lease's Extend 1 h and Keep, and the spend report.
import type * as vscode from 'vscode';
import type { CommandId } from '../core/commandIds';
import type { InstancesModel } from '../core/instancesModel';
import type { CostGuard } from '../cost';
import { KEEP_COMMAND, type CostNotices } from '../views/costNotices';
import { showSpend, type SpendReportProvider } from '../views/spendReportProvider';
import { extendLease, keepInstance } from './lease';
import { setProtection } from './protect';

export interface CostCommandDeps {
  readonly model: InstancesModel;
  readonly guard: CostGuard;
  readonly notices: CostNotices;
  readonly spendReports: SpendReportProvider;
  readonly command: (id: CommandId, run: (arg?: unknown) => unknown) => vscode.Disposable;
}

export function costCommands(d: CostCommandDeps): vscode.Disposable[] {
  return [
    d.command('fal.protect', (arg) => setProtection(d.model, d.guard, arg, true)),
    d.command('fal.unprotect', (arg) => setProtection(d.model, d.guard, arg, false)),
    d.command(KEEP_COMMAND, (id) => d.notices.keep(id)),
    d.command('fal.lease.extend', (arg) => extendLease(d.model, d.guard, arg)),
    d.command('fal.lease.keep', (arg) => keepInstance(d.model, d.guard, arg)),
    d.command('fal.showSpend', () => showSpend(d.spendReports)),
  ];
}
