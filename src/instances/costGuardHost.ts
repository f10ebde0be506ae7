// What the cost guard (src/cost, pure) asks of VS Code, answered here:
// - the reminder and countdown notifications: passed in (views/costNotices.ts shows them);
// - inspect: a fresh nvidia-smi sample and SESSION_CHECK_COMMAND on the GPU sampler's OWN SSH
//   connection to the instance (a second connection would itself count as another session);
// - runBeforeDelete: a visible task, its exit code;
// - results: the ResultsSaver (when given) that brings results home before a delete;
// - deleteInstance: a fresh GET first — refused if the instance is gone or no longer the ready
//   machine the guard judged — then the same delete path as the Delete command (InstanceDeleter),
//   with the guard's gate asked after every await and right before the one request (cost/freshDelete.ts);
// - confirmDelete: the Delete command itself, with its modal;
// - inform / log: a notification / the "fal Compute" log.
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import type { FalSession } from '../auth/falSession';
import { errorText } from '../base/errorText';
import type { InstancesModel } from '../core/instancesModel';
import { expectedGpus } from '../core/instanceTypes';
import {
  checkSessions,
  deleteAfterFreshLook,
  SESSION_CHECK_COMMAND,
  type CostGuardHost,
  type GuardNotices,
  type InspectResult,
  type ResultsSaver,
} from '../cost';
import { describeState, type GpuSampler } from '../gpu';
import { runBeforeDeleteTask } from './beforeDeleteTask';
import type { InstanceDeleter } from './instanceDeleter';
import { executeFalCommand } from '../falCommands';
import { showInformationMessage, showWarningMessage } from '../notifications';

/** The session check lists processes: give it longer than a GPU sample. */
const INSPECT_TIMEOUT_MS = 15_000;

export interface GuardHostDeps {
  readonly model: InstancesModel;
  readonly session: FalSession;
  readonly sampler: GpuSampler;
  readonly deleter: InstanceDeleter;
  readonly notices: GuardNotices;
  readonly log: vscode.LogOutputChannel;
  /** Results first (issue 19 item 5): absent, nothing is downloaded before a delete. */
  readonly results?: ResultsSaver;
  /** The jobs running on the machine, freshly listed (src/jobs); undefined when they cannot be listed. */
  readonly runningJobs?: (id: string) => Promise<readonly string[] | undefined>;
}

export function costGuardHost(deps: GuardHostDeps): CostGuardHost {
  const { notices, log } = deps;
  return {
    showReminder: (reminder) => notices.showReminder(reminder),
    showCountdown: (countdown) => notices.showCountdown(countdown),
    inspect: (id) => inspect(deps, id),
    runBeforeDelete: (command, id) => runBeforeDeleteTask(command, id),
    ...(deps.results ? { results: deps.results } : {}),
    deleteInstance: (id, gate, note) =>
      deleteAfterFreshLook(
        {
          listed: (i) => deps.model.get(i)?.instance,
          requireClient: () => deps.session.requireClient(),
          send: async (client, i, g) => {
            const saved = new Set(note?.resultsSaved ? [i] : []);
            const { failed } = await deps.deleter.delete(client, [i], ' (auto-delete)', g, saved);
            if (failed.length) throw failed[0]!.error;
          },
        },
        id,
        gate,
      ),
    confirmDelete: (id) => void executeFalCommand('fal.deleteInstance', id),
    inform: (message, severity) =>
      void (severity === 'warning' ? showWarningMessage(message) : showInformationMessage(message)),
    log: (line) => log.info(line),
  };
}

async function inspect({ sampler, model, runningJobs }: GuardHostDeps, id: string): Promise<InspectResult> {
  // The GPU count the type promises, from fal's listing rather than the sampler: a second source.
  const expected = expectedGpus(model.get(id)?.instance.instance_type ?? '');
  if (sampler.state(id) === undefined)
    return { ok: false, error: l10n.t('it is not an SSH target (not ready, or no address)') };
  try {
    const { state, result } = await sampler.inspect(id, SESSION_CHECK_COMMAND, INSPECT_TIMEOUT_MS);
    if (state?.kind !== 'ok') return { ok: false, error: state ? describeState(state) : l10n.t('no GPU sample') };
    if (result.truncated) return { ok: false, error: l10n.t('the session check printed more than can be read') };
    const jobs = runningJobs ? await runningJobs(id) : [];
    if (!jobs) return { ok: false, error: l10n.t('its jobs could not be listed') };
    return {
      ok: true,
      state: {
        gpus: state.gpus.map((g) => ({ index: g.index, utilizationPercent: g.utilizationPercent })),
        gpuProcesses: state.processes.map((p) => ({ pid: p.pid ?? -1, name: p.name })),
        sessions: checkSessions(result.stdout),
        runningJobs: jobs,
        ...(expected ? { expected } : {}),
      },
    };
  } catch (error) {
    return { ok: false, error: errorText(error) };
  }
}
