// "Download Results, Then Delete" (issue 19 item 5, the Delete modal's default when results paths
// are set and a machine is ready): each ready machine's results are downloaded, one machine at a
// time, and a machine is deleted right after its own results all came home — through the one delete
// path, one DELETE per instance, marked "results saved" for the spend ledger. A failed (or thrown)
// download keeps that machine running and is reported, never followed by anything destructive.
// Machines in the selection that are not ready have nothing to download: they are deleted as chosen
// (the modal said so). No `vscode` import: unit-tested in plain node.
import { saveOutcome, type ResultsSaver } from '../cost';

export interface DeleteRun {
  readonly gone: readonly string[];
  readonly failed: readonly { readonly id: string; readonly message: string }[];
}

export interface AfterResultsDeps {
  readonly saver: ResultsSaver;
  /** The one delete path (InstanceDeleter) for `ids`; `saved`: those whose results came home first. */
  remove(ids: readonly string[], saved: ReadonlySet<string>): Promise<DeleteRun>;
  /** Still listed and not being deleted by another path: a download can take minutes. */
  stillDeletable(id: string): boolean;
  log(line: string): void;
}

export interface AfterResultsOutcome {
  readonly gone: string[];
  readonly failed: { readonly id: string; readonly message: string }[];
  /** Left running: the download did not bring everything home (the saver's reason, in words). */
  readonly kept: { readonly id: string; readonly reason: string }[];
}

export async function deleteAfterResults(
  ready: readonly string[],
  notReady: readonly string[],
  deps: AfterResultsDeps,
): Promise<AfterResultsOutcome> {
  const out: AfterResultsOutcome = { gone: [], failed: [], kept: [] };
  const remove = async (ids: readonly string[], saved: ReadonlySet<string>) => {
    const run = await deps.remove(ids, saved);
    out.gone.push(...run.gone);
    out.failed.push(...run.failed);
  };
  if (notReady.length) await remove(notReady, new Set());
  for (const id of ready) {
    deps.log(`Delete: downloading the results of ${id} first`);
    const outcome = await saveOutcome(deps.saver, id);
    if (outcome.kind !== 'saved') {
      deps.log(`Delete: ${id} is left running, its results could not be downloaded: ${outcome.reason}`);
      out.kept.push({ id, reason: outcome.reason });
      continue;
    }
    deps.log(`Delete: results of ${id} saved (${outcome.fetched} fetched, ${outcome.upToDate} already up to date)`);
    if (!deps.stillDeletable(id)) {
      deps.log(`Delete: ${id} is no longer listed, or another delete of it is under way; not sent again`);
      continue;
    }
    await remove([id], new Set([id]));
  }
  return out;
}
