// The GPU view's commands, registered together for extension.ts: the usage report and its refresh,
// the key of an instance whose key is not known, and a retry of one instance's sampling.
import type * as vscode from 'vscode';
import type { CommandId } from '../core/commandIds';
import type { InstancesModel } from '../core/instancesModel';
import type { GpuSampler } from '../gpu';
import type { GpuReportProvider } from '../views/gpuReportProvider';
import { chooseInstanceKey } from './chooseInstanceKey';
import { refreshGpuUsage, showGpuUsage } from './showGpuUsage';

export interface GpuCommandDeps {
  readonly model: InstancesModel;
  readonly reports: GpuReportProvider;
  readonly sampler: Pick<GpuSampler, 'refresh'>;
  /** What Choose Private Key… needs (the commands' shared deps). */
  readonly remote: Parameters<typeof chooseInstanceKey>[0];
  readonly command: (id: CommandId, run: (arg?: unknown) => unknown) => vscode.Disposable;
}

export function gpuCommands(d: GpuCommandDeps): vscode.Disposable[] {
  return [
    d.command('fal.showGpuUsage', (arg) => showGpuUsage(d.model, d.reports, arg)),
    d.command('fal.refreshGpuUsage', (uri) => refreshGpuUsage(d.reports, uri)),
    d.command('fal.gpu.chooseKey', (arg) => chooseInstanceKey(d.remote, arg)),
    d.command('fal.gpu.retry', (id) => d.sampler.refresh(id as string)),
  ];
}
