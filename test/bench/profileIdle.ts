// `node out/test/bench/profileIdle.js [seconds]`: the extension host profiled while the Instances view
// is hidden and nothing should run (one ready instance listed, the GPU view without a key), printing
// where its time went: the baseline the GPU bench subtracts. Run `npm run package` first.
import { DEFAULT_EMULATOR_KEY, FalEmulator } from '../emulator';
import { openWorkbench } from '../e2e/workbench';
import { profileExtensionHost, profileTable, SOURCE_MAP, summarizeProfile } from './hostProfile';

void (async () => {
  const seconds = Number(process.argv[2] ?? 20);
  const fal = await FalEmulator.start({
    seed: [{ id: 'inst_idle8x', instance_type: 'gpu_8x_h100_sxm5', status: 'ready', ip: '127.0.0.1' }],
  });
  const wb = await openWorkbench({
    settings: { 'fal.apiBaseUrl': fal.baseUrl, 'fal.refresh.slowIntervalSeconds': 3600 },
  });
  try {
    await wb.signIn(DEFAULT_EMULATOR_KEY);
    await wb.row('inst_idle8x').waitFor({ timeout: 60_000 });
    await wb.runCommand('View: Show Explorer');
    const profile = await profileExtensionHost(wb.server, () => new Promise((r) => setTimeout(r, seconds * 1000)));
    const summary = summarizeProfile(profile, SOURCE_MAP);
    console.log(`${seconds} s with the view hidden; self time by place:`);
    console.log(profileTable(summary.byPlace.slice(0, 14)));
    console.log('our hottest functions:');
    console.log(profileTable(summary.hottest));
  } finally {
    await wb.close();
    await fal.close();
  }
})().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
