// The `fal` task type (tasks.json): `{ "type": "fal", "command": "torchrun … train.py",
// "instanceType": "8x", "results": ["checkpoints/**"], "deleteWhenDone": true }`. tasks.json is
// the user's file, so a definition is read strictly: anything that does not fit is named, and
// nothing runs on a guess (a typo in deleteWhenDone must never delete a machine, nor keep one
// billing silently).
import * as l10n from '@vscode/l10n';
import * as z from 'zod/mini';
import type { InstanceType } from '../api/schemas';

/** When the machine is deleted after the job: never, when it succeeded, or whatever the outcome. */
export type DeleteWhenDone = 'never' | 'onSuccess' | 'always';

export interface FalTask {
  readonly command: string;
  readonly name?: string;
  /** The machine type to pick or create; undefined: any ready machine, or the wizard's choice. */
  readonly instanceType?: InstanceType;
  /** Globs relative to the machine's copy brought home when it ends; undefined: fal.results.paths. */
  readonly results?: readonly string[];
  readonly deleteWhenDone: DeleteWhenDone;
}

const TYPES: Readonly<Record<string, InstanceType>> = {
  '1x': 'gpu_1x_h100_sxm5',
  '8x': 'gpu_8x_h100_sxm5',
  gpu_1x_h100_sxm5: 'gpu_1x_h100_sxm5',
  gpu_8x_h100_sxm5: 'gpu_8x_h100_sxm5',
};

const definition = z.object({
  type: z.literal('fal'),
  command: z.string().check(z.minLength(1), z.maxLength(64 * 1024)),
  name: z.optional(z.string().check(z.maxLength(200))),
  instanceType: z.optional(z.enum(Object.keys(TYPES) as [string, ...string[]])),
  results: z.optional(z.array(z.string().check(z.minLength(1), z.maxLength(1024))).check(z.maxLength(100))),
  deleteWhenDone: z.optional(z.union([z.boolean(), z.literal('always')])),
});

/** The task, or the words that say what is wrong with its definition. */
export function readFalTask(value: unknown): { task: FalTask } | { problem: string } {
  const parsed = definition.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'command';
    return { problem: l10n.t`The fal task's "${where}" is not valid: ${issue?.message ?? ''}`.trim() };
  }
  const d = parsed.data;
  if (!d.command.trim()) return { problem: l10n.t('The fal task\'s "command" is empty.') };
  const whenDone = d.deleteWhenDone === 'always' ? 'always' : d.deleteWhenDone === true ? 'onSuccess' : 'never';
  return {
    task: {
      command: d.command,
      deleteWhenDone: whenDone,
      ...(d.name ? { name: d.name } : {}),
      ...(d.instanceType ? { instanceType: TYPES[d.instanceType] } : {}),
      ...(d.results ? { results: d.results } : {}),
    },
  };
}

/** What the job's end leads to: delete the machine (after results and a fresh check), or keep it and why. */
export type EndDecision =
  | { readonly kind: 'delete' }
  | { readonly kind: 'keep'; readonly reason: 'notAsked' | 'failed' | 'otherJobs' | 'protected' | 'noResults' };

/**
 * Whether a job's end deletes its machine. Fail safe: anything not clearly allowed keeps it.
 * Never when the job failed (or was stopped or lost) unless `always`, never while another job runs
 * there, never a protected machine, never when the results did not come home.
 */
export function endDecision(facts: {
  deleteWhenDone: DeleteWhenDone;
  succeeded: boolean;
  otherJobsRunning: boolean | undefined;
  isProtected: boolean;
  resultsHome: boolean;
}): EndDecision {
  if (facts.deleteWhenDone === 'never') return { kind: 'keep', reason: 'notAsked' };
  if (!facts.succeeded && facts.deleteWhenDone !== 'always') return { kind: 'keep', reason: 'failed' };
  if (facts.otherJobsRunning !== false) return { kind: 'keep', reason: 'otherJobs' };
  if (facts.isProtected) return { kind: 'keep', reason: 'protected' };
  if (!facts.resultsHome) return { kind: 'keep', reason: 'noResults' };
  return { kind: 'delete' };
}
