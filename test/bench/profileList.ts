// `node out/test/bench/profileList.js`: list + render of 1000 instances with the extension host
// profiled (hostProfile.ts), printing where its time went. Run `npm run package` first.
import { profileTable } from './hostProfile';
import { measureListRender } from './listRender';

void (async () => {
  const result = await measureListRender(1000, true);
  console.log(
    `key → rendered ${result.firstLoadMs.toFixed(0)} ms; refresh (first page) → repaint ${result.refreshMs.toFixed(0)} ms (from the palette's Enter ${result.refreshFromCommandMs.toFixed(0)} ms)`,
  );
  console.log(`phases (ms): ${JSON.stringify(result.phases)}`);
  for (const [name, summary] of Object.entries(result.profiles ?? {})) {
    console.log(`\n${name}: ${summary.totalMs.toFixed(0)} ms profiled in the extension host; self time by place:`);
    console.log(profileTable(summary.byPlace.slice(0, 14)));
    console.log('our hottest functions:');
    console.log(profileTable(summary.hottest));
  }
})().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
