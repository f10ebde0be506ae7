// The worst case of reading and parsing a response at the client's 16 MiB body cap (issue 10
// item 2): each hostile body of test/support/hostileBodies, served over loopback and read by the
// real client in a fresh process (median of 3): the parse alone, the time from request to typed
// result or typed error, and the growth of the process's peak resident memory during that call.
import { HOSTILE_BODIES, runBodyInChild, type BodyReport } from '../support/hostileBodies';

export interface ParseWorstCase {
  cases: BodyReport[];
  /** The most parse time alone, the most time from request to result, the most peak memory growth. */
  slowestParse: BodyReport;
  slowest: BodyReport;
  hungriest: BodyReport;
}

export function measureParseWorstCase(runs = 3): ParseWorstCase {
  const cases = HOSTILE_BODIES.map((kind) => {
    const samples = Array.from({ length: runs }, () => runBodyInChild(kind));
    const died = samples.find((s) => s.exitStatus !== 0);
    if (died) throw new Error(`${kind}: the client's process died: ${died.stderr}`);
    const median = (pick: (r: BodyReport) => number) => samples.map(pick).sort((a, b) => a - b)[Math.floor(runs / 2)]!;
    const { exitStatus: _e, stderr: _s, ...first } = samples[0]!;
    return {
      ...first,
      ms: median((r) => r.ms),
      parseMs: median((r) => r.parseMs),
      peakRssGrowthMiB: median((r) => r.peakRssGrowthMiB),
    };
  });
  const by = (pick: (r: BodyReport) => number) => cases.reduce((a, b) => (pick(b) > pick(a) ? b : a));
  return {
    cases,
    slowestParse: by((r) => r.parseMs),
    slowest: by((r) => r.ms),
    hungriest: by((r) => r.peakRssGrowthMiB),
  };
}
