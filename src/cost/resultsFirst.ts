// Results first (issue 19 item 5): before any delete — by hand, by the idle auto-delete or by a
// lease — the machine's results (`fal.results.paths`) come home, and a download that did not bring
// everything home stops the delete. The VS Code side implements ResultsSaver over src/sync; the
// delete paths only ask it, so the one rule ("nothing lost on delete") lives here and in its callers.

/** What bringing one instance's results home came to. */
export type ResultsSaveOutcome =
  /** Every result file is home (fetched now or already up to date here). */
  | { readonly kind: 'saved'; readonly fetched: number; readonly upToDate: number }
  /**
   * Not everything came home: the machine did not answer, a file is newer here than there (kept:
   * the user decides), a name was refused, the local disk was full… `reason` says which, in words.
   * A delete waits: the machine is left running.
   */
  | { readonly kind: 'failed'; readonly reason: string };

/** A save that is not a delete's: a job's end (its own results, its own words on the progress). */
export interface SaveChoices {
  /** Globs relative to the machine's copy; default fal.results.paths. */
  readonly globs?: readonly string[];
  /** The progress notification's title; default the delete's "… home before its delete". */
  readonly title?: string;
}

export interface ResultsSaver {
  /** Whether results paths are set: only then is there anything to bring home before a delete. */
  configured(): boolean;
  /** Brings the instance's results into the local folder; never overwrites a newer local file. */
  save(instanceId: string, signal?: AbortSignal, choices?: SaveChoices): Promise<ResultsSaveOutcome>;
}
