// The `vscode:uninstall` hook (package.json scripts): VS Code runs `node ./dist/uninstall.js` once
// the extension is fully uninstalled (after a restart), in plain node without the vscode API,
// and kills it after 5 s (microsoft/vscode, platform/extensionManagement/node/extensionLifecycle.ts).
// It takes back our SSH changes like "fal: Remove SSH Config Changes" — also in a
// remote.SSH.configFile of the time, found in the record kept next to the managed file.
import { homedir } from 'node:os';
import { errorText } from './base/errorText';
import { sshPaths } from './ssh/paths';
import { removeSshConfigChanges } from './ssh/sshTidy';

async function main(): Promise<void> {
  const paths = sshPaths(homedir());
  const report = await removeSshConfigChanges(paths, paths.home);
  for (const line of report.removed) console.log(`fal Compute uninstall: removed ${line}`);
  for (const line of report.kept) console.log(`fal Compute uninstall: kept ${line}`);
}

main().then(
  () => undefined,
  (e: unknown) => {
    console.error(`fal Compute uninstall: could not remove the SSH config changes: ${errorText(e)}`);
    process.exitCode = 1;
  },
);
