// List + render of 1000 instances (10 pages of 100) from the emulator in the real workbench:
// from pressing Enter on the API key to 1000 instances counted in the status bar with rows on
// screen, and a refresh of the same 1000 (first page requested → tree repainted; and from the
// command palette's Enter, which adds the palette's own time). The phases say where each went:
// the emulator's request log (this process's clock) against the moments the page showed a change.
import { DEFAULT_EMULATOR_KEY, FalEmulator } from '../emulator';
import { openWorkbench } from '../e2e/workbench';
import { profileExtensionHost, SOURCE_MAP, summarizeProfile, type ProfileSummary } from './hostProfile';

export interface ListRenderResult {
  firstLoadMs: number;
  /** Refresh: first page requested → changed row repainted (median of 5). */
  refreshMs: number;
  /** Refresh: the palette's Enter on "fal: Refresh Instances" → changed row repainted (median of 5). */
  refreshFromCommandMs: number;
  pages: number;
  /** Medians of the phases (ms): where the time of each measure went. */
  phases: {
    /** Key entered → the first request (the key check) / → the first page requested / → the last page answered. */
    firstLoad: { toKeyCheck: number; toFirstPage: number; toLastPage: number; lastPageToRendered: number };
    /** Refresh: Enter → first page requested; first → last page answered; last page → repainted. */
    refresh: { enterToFirstPage: number; pages: number; lastPageToRepaint: number };
  };
  /** With `profile`: where the extension host's time went, first load and one refresh. */
  profiles?: { firstLoad: ProfileSummary; refresh: ProfileSummary };
}

export async function measureListRender(count = 1000, profile = false): Promise<ListRenderResult> {
  const seed = Array.from({ length: count }, (_, i) => ({
    id: `inst_${String(i).padStart(4, '0')}`,
    instance_type: i % 8 === 0 ? ('gpu_8x_h100_sxm5' as const) : ('gpu_1x_h100_sxm5' as const),
    status: 'ready',
    ip: `203.0.${100 + Math.floor(i / 250)}.${i % 250}`,
  }));
  const fal = await FalEmulator.start({ seed });
  // A long slow interval so that only the measured refreshes happen.
  const wb = await openWorkbench({
    settings: { 'fal.apiBaseUrl': fal.baseUrl, 'fal.refresh.slowIntervalSeconds': 3600 },
  });
  try {
    await wb.openActivityView('fal Compute');
    await wb.runCommand('fal: Set API Key');
    await wb.inputBox.type(DEFAULT_EMULATOR_KEY);
    const counted = wb.page.locator('.statusbar-item', { hasText: `${count} · ~$` });
    let firstLoadMs = 0;
    let firstLoadPhases: ListRenderResult['phases']['firstLoad'] | undefined;
    const listPages = (since: number) =>
      fal.requests.filter(
        (r) => r.path.endsWith('/compute/instances') && r.query.limit === '100' && r.startedAt >= since,
      );
    const firstLoad = async () => {
      const t0 = Date.now();
      await wb.inputBox.enter();
      await counted.waitFor({ timeout: 60_000 });
      await wb.view('Instances').locator('.monaco-list-row', { hasText: 'inst_0000' }).waitFor({ timeout: 60_000 });
      const t = Date.now();
      firstLoadMs = t - t0;
      const pages = listPages(t0);
      firstLoadPhases = {
        toKeyCheck: (fal.requests.find((r) => r.startedAt >= t0)?.startedAt ?? t) - t0,
        toFirstPage: (pages[0]?.startedAt ?? t) - t0,
        toLastPage: (pages.at(-1)?.endedAt ?? t) - t0,
        lastPageToRendered: t - (pages.at(-1)?.endedAt ?? t),
      };
    };
    const firstProfile = profile ? await profileExtensionHost(wb.server, firstLoad) : (await firstLoad(), undefined);
    const pages = fal.requests.filter((r) => r.path.endsWith('/compute/instances') && r.query.limit === '100').length;

    // Refresh: the same 1000 with one changed row each time, so the tree has something to repaint.
    // Median of five: single samples vary by ±40% on a 2-core machine.
    const refreshes: number[] = [];
    const fromCommand: number[] = [];
    const refreshPhases: Array<ListRenderResult['phases']['refresh']> = [];
    for (let i = 0; i < 5; i++) {
      const id = `inst_000${i}`;
      fal.updateInstance(id, { status: 'stopped' });
      const t1 = Date.now();
      await wb.runCommand('fal: Refresh Instances');
      // Its row (labelled by its id) now says `stopped · 1x H100` or `stopped · 8x H100`.
      await wb
        .view('Instances')
        .locator('.monaco-list-row', { hasText: id })
        .filter({ hasText: 'stopped · ' })
        .waitFor({ timeout: 60_000 });
      const t2 = Date.now();
      const sent = listPages(t1);
      const first = sent[0]?.startedAt ?? t2;
      const last = sent.at(-1)?.endedAt ?? t2;
      refreshes.push(t2 - first);
      fromCommand.push(t2 - t1);
      refreshPhases.push({ enterToFirstPage: first - t1, pages: last - first, lastPageToRepaint: t2 - last });
    }
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const refreshMs = med(refreshes);
    const phases = {
      firstLoad: firstLoadPhases!,
      refresh: {
        enterToFirstPage: med(refreshPhases.map((p) => p.enterToFirstPage)),
        pages: med(refreshPhases.map((p) => p.pages)),
        lastPageToRepaint: med(refreshPhases.map((p) => p.lastPageToRepaint)),
      },
    };
    const refreshFromCommandMs = med(fromCommand);
    if (!firstProfile) return { firstLoadMs, refreshMs, refreshFromCommandMs, pages, phases };
    // One more refresh, profiled (the inspector's own cost stays out of the medians above).
    fal.updateInstance('inst_0009', { status: 'stopped' });
    const refreshProfile = await profileExtensionHost(wb.server, async () => {
      await wb.runCommand('fal: Refresh Instances');
      await wb
        .view('Instances')
        .locator('.monaco-list-row', { hasText: 'inst_0009' })
        .filter({ hasText: 'stopped · ' })
        .waitFor({ timeout: 60_000 });
    });
    return {
      firstLoadMs,
      refreshMs,
      refreshFromCommandMs,
      pages,
      phases,
      profiles: {
        firstLoad: summarizeProfile(firstProfile, SOURCE_MAP),
        refresh: summarizeProfile(refreshProfile, SOURCE_MAP),
      },
    };
  } finally {
    await wb.close();
    await fal.close();
  }
}
