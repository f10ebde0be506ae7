// What the cost guard (src/cost, pure) asks of VS Code, answered here:
// - the reminder and countdown notifications (views/costNotices.ts);
// - inspect: a fresh nvidia-smi sample and SESSION_CHECK_COMMAND on the GPU sampler's OWN SSH
//   connection to the instance (a second connection would itself count as another session);
// - runBeforeDelete: a visible task, its exit code;
// - deleteInstance: a fresh GET first — refused if the instance is gone or no longer the ready
//   machine the guard judged — then the same delete path as the Delete command (InstanceDeleter);
// - confirmDelete: the Delete command itself, with its modal;
// - inform / log: a notification / the "fal Compute" log.
import * as vscode from 'vscode';
import { FalApiError } from '../api';
import type { FalSession } from '../auth/falSession';
import type { InstancesModel } from '../core/instancesModel';
import { statusLook } from '../core/status';
import { checkSessions, SESSION_CHECK_COMMAND, type CostGuardHost, type InspectResult } from '../cost';
import { describeState, type GpuSampler } from '../gpu';
import type { CostNotices } from '../views/costNotices';
import { runBeforeDeleteTask } from './beforeDeleteTask';
import type { InstanceDeleter } from './instanceDeleter';
import { showInformationMessage, showWarningMessage } from '../notifications';

/** The session check lists processes: give it longer than a GPU sample. */
const INSPECT_TIMEOUT_MS = 15_000;

export interface GuardHostDeps {
  readonly model: InstancesModel;
  readonly session: FalSession;
  readonly sampler: GpuSampler;
  readonly deleter: InstanceDeleter;
  readonly notices: CostNotices;
  readonly log: vscode.LogOutputChannel;
}

export function costGuardHost(deps: GuardHostDeps): CostGuardHost {
  const { notices, log } = deps;
  return {
    showReminder: (reminder) => notices.showReminder(reminder),
    showCountdown: (countdown) => notices.showCountdown(countdown),
    inspect: (id) => inspect(deps.sampler, id),
    runBeforeDelete: (command, id) => runBeforeDeleteTask(command, id),
    deleteInstance: (id) => deleteAfterFreshLook(deps, id),
    confirmDelete: (id) => void vscode.commands.executeCommand('fal.deleteInstance', id),
    inform: (message) => {
      const warn = / was not auto-deleted: /.test(message);
      void (warn ? showWarningMessage(message) : showInformationMessage(message));
    },
    log: (line) => log.info(line),
  };
}

async function inspect(sampler: GpuSampler, id: string): Promise<InspectResult> {
  if (sampler.state(id) === undefined) return { ok: false, error: 'it is not an SSH target (not ready, or no address)' };
  try {
    const { state, result } = await sampler.inspect(id, SESSION_CHECK_COMMAND, INSPECT_TIMEOUT_MS);
    if (state?.kind !== 'ok') return { ok: false, error: state ? describeState(state) : 'no GPU sample' };
    if (result.truncated) return { ok: false, error: 'the session check printed more than can be read' };
    return {
      ok: true,
      state: {
        gpus: state.gpus.map((g) => ({ index: g.index, utilizationPercent: g.utilizationPercent })),
        gpuProcesses: state.processes.map((p) => ({ pid: p.pid ?? -1, name: p.name })),
        sessions: checkSessions(result.stdout),
      },
    };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

async function deleteAfterFreshLook(deps: GuardHostDeps, id: string): Promise<void> {
  const judged = deps.model.get(id)?.instance;
  if (!judged) throw new Error('it is no longer listed');
  const client = await deps.session.requireClient();
  let fresh;
  try {
    fresh = await client.getInstance(id);
  } catch (error) {
    if (error instanceof FalApiError && error.status === 404) throw new Error('fal says it is already gone (404)');
    throw error;
  }
  if (statusLook(fresh.status).kind !== 'ready') throw new Error(`fal now says it is ${fresh.status}, not ready`);
  if (fresh.ip !== judged.ip || fresh.instance_type !== judged.instance_type) throw new Error('fal now reports another address or type for it');
  const { failed } = await deps.deleter.delete(client, [id], ' (auto-delete)');
  if (failed.length) throw new Error(failed[0]!.message);
}
