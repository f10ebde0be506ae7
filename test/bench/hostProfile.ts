// A CPU profile of the real extension host while something happens in the workbench. code-server
// has no --inspect-extensions flag and drops --cpu-prof from NODE_OPTIONS, so: SIGUSR1 makes the
// host's Node open its inspector (127.0.0.1:9229), and the profile is taken over the DevTools
// protocol (undici's WebSocket). The minified bundle's positions are mapped back to src/ with the
// release sourcemap that `npm run package` writes beside dist/extension.js.
import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { join } from 'node:path';
import type { CodeServer } from '../e2e/codeServer';
import { extensionHostPid } from './gpuWorkbench';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  hitCount?: number;
}
export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Where the host's time went: milliseconds of self time by place, most first. */
export interface ProfileSummary {
  totalMs: number;
  /** `idle`, `(garbage collector)`, `(program)`, our `src/…` files, `undici`, `zod`, `node:…`, `vscode`. */
  byPlace: Array<[string, number]>;
  /** Our hottest functions as `src/file.ts:line name`. */
  hottest: Array<[string, number]>;
}

async function inspectorUrl(): Promise<string> {
  for (let attempt = 0; attempt < 50; attempt++) {
    try {
      const list = (await (await fetch('http://127.0.0.1:9229/json/list')).json()) as Array<{
        webSocketDebuggerUrl: string;
      }>;
      if (list[0]) return list[0].webSocketDebuggerUrl;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the extension host did not open its inspector on 127.0.0.1:9229');
}

/** Runs `during` with the extension host profiled (sampling every 100 µs), and returns the profile. */
export async function profileExtensionHost(server: CodeServer, during: () => Promise<void>): Promise<CpuProfile> {
  const pid = extensionHostPid(server.dirs.home);
  process.kill(pid, 'SIGUSR1');
  const { WebSocket } = await import('undici');
  const socket = new WebSocket(await inspectorUrl());
  await new Promise((resolve, reject) => {
    socket.addEventListener('open', resolve, { once: true });
    socket.addEventListener('error', reject, { once: true });
  });
  let next = 0;
  const waiting = new Map<number, (result: unknown) => void>();
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown };
    if (message.id !== undefined) waiting.get(message.id)?.(message.result);
  });
  const call = (method: string, params: object = {}) =>
    new Promise<unknown>((resolve) => {
      const id = ++next;
      waiting.set(id, resolve);
      socket.send(JSON.stringify({ id, method, params }));
    });
  try {
    await call('Profiler.enable');
    await call('Profiler.setSamplingInterval', { interval: 100 });
    await call('Profiler.start');
    await during();
    const { profile } = (await call('Profiler.stop')) as { profile: CpuProfile };
    return profile;
  } finally {
    // The inspector stays open until the host ends (a bench run only); the next profile reuses it.
    socket.close();
  }
}

/** Self time by place and our hottest functions, mapped through dist/extension.js.map. */
export function summarizeProfile(profile: CpuProfile, sourceMapPath: string): ProfileSummary {
  const map = new SourceMap(JSON.parse(readFileSync(sourceMapPath, 'utf8')));
  const selfMs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
  const byPlace = new Map<string, number>();
  const hottest = new Map<string, number>();
  const add = (into: Map<string, number>, key: string, ms: number) => into.set(key, (into.get(key) ?? 0) + ms);
  for (const node of profile.nodes) {
    const ms = selfMs.get(node.id) ?? 0;
    if (!ms) continue;
    const { url, functionName, lineNumber, columnNumber } = node.callFrame;
    if (!url) {
      add(byPlace, functionName.startsWith('(') ? functionName : '(native)', ms);
      continue;
    }
    if (url.endsWith('/dist/extension.js')) {
      const entry = map.findEntry(lineNumber, columnNumber);
      const source = (entry && 'originalSource' in entry ? entry.originalSource : '') ?? '';
      const at = source.replace(/^.*?node_modules[\\/]/, '').replace(/^.*?(src[\\/])/, '$1');
      const place = at.startsWith('src/') ? at : (at.split(/[\\/]/)[0] ?? 'bundle');
      add(byPlace, place, ms);
      if (place.startsWith('src/') && entry && 'originalLine' in entry)
        add(hottest, `${place}:${entry.originalLine + 1} ${functionName || '(anonymous)'}`, ms);
    } else if (url.endsWith('/dist/features.js')) add(byPlace, 'dist/features.js', ms);
    else if (url.endsWith('/dist/undici.js')) add(byPlace, 'undici', ms);
    else if (url.startsWith('node:')) add(byPlace, url.split('/')[0]!, ms);
    else add(byPlace, 'vscode', ms);
  }
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]);
  return {
    totalMs: (profile.endTime - profile.startTime) / 1000,
    byPlace: sorted(byPlace),
    hottest: sorted(hottest).slice(0, 15),
  };
}

export const SOURCE_MAP = join(__dirname, '../../../dist/extension.js.map');

/** Rows of `[place, ms]` as the profile scripts print them. */
export const profileTable = (rows: Array<[string, number]>): string =>
  rows.map(([place, ms]) => `  ${ms.toFixed(1).padStart(8)} ms  ${place}`).join('\n');
