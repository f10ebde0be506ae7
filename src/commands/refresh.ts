// "fal: Refresh Instances" (and Retry in the view): the whole list now, with the view's progress bar
// so a click visibly does something even while fal takes its time.
import * as vscode from 'vscode';
import type { InstancesController } from '../instances/instancesController';
import { INSTANCES_VIEW_ID } from '../views/instancesView';

export function refresh(controller: Pick<InstancesController, 'refresh'>): Thenable<void> {
  return vscode.window.withProgress({ location: { viewId: INSTANCES_VIEW_ID } }, () => controller.refresh());
}
