// Every command package.json contributes (`contributes.commands`), as a type: registering or running
// a command by an id that is not contributed fails to compile, and a unit test keeps this list and
// the manifest equal. The titles stay in package.json alone; `errorTitles` reads them from there.

export const COMMAND_IDS = [
  'fal.createInstance',
  'fal.deleteInstance',
  'fal.setApiKey',
  'fal.importApiKey',
  'fal.signOut',
  'fal.refresh',
  'fal.showLogs',
  'fal.connect',
  'fal.connectWhenReady',
  'fal.openSshTerminal',
  'fal.copySshCommand',
  'fal.copyIp',
  'fal.forgetHostKey',
  'fal.removeSshConfigChanges',
  'fal.renameInstance',
  'fal.showGpuUsage',
  'fal.refreshGpuUsage',
  'fal.gpu.chooseKey',
  'fal.gpu.retry',
  'fal.protect',
  'fal.unprotect',
  'fal.showSpend',
  'fal.filterMine',
  'fal.filterAll',
  'fal.idle.keep',
  'fal.showSetupLog',
  'fal.runSetupAgain',
  'fal.uploadWorkspace',
  'fal.downloadResults',
  'fal.openPort',
  'fal.stopForwarding',
  'fal.lease.extend',
  'fal.lease.keep',
  'fal.runJob',
  'fal.job.showOutput',
  'fal.job.stop',
  'fal.job.runAgain',
  'fal.job.downloadResults',
] as const;

export type CommandId = (typeof COMMAND_IDS)[number];

/**
 * How an error names the command, from its contributed title: without the category the palette
 * shows before it ("fal: ") and without the trailing "…" that promises a question, so "Connect…"
 * fails as "Connect: …".
 */
export function errorTitle(title: string, category = 'fal'): string {
  const bare = title.startsWith(`${category}: `) ? title.slice(category.length + 2) : title;
  return bare.replace(/\s*(…|\.\.\.)$/, '');
}

interface ContributedCommand {
  command?: unknown;
  title?: unknown;
  category?: unknown;
}

/** Command id → how its errors name it, read from the extension's manifest (its `packageJSON`). */
export function errorTitles(manifest: unknown): ReadonlyMap<string, string> {
  const commands = (manifest as { contributes?: { commands?: unknown } } | undefined)?.contributes?.commands;
  const titles = new Map<string, string>();
  for (const c of Array.isArray(commands) ? (commands as (ContributedCommand | null)[]) : []) {
    if (!c || typeof c.command !== 'string' || typeof c.title !== 'string') continue;
    titles.set(c.command, errorTitle(c.title, typeof c.category === 'string' ? c.category : undefined));
  }
  return titles;
}
