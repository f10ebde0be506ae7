#!/usr/bin/env node
// Maps the frames of a stack trace from a bug report (positions in the minified dist/extension.js
// of a release) back to the TypeScript sources, with that release's dist/extension.js.map, which
// `npm run package` writes beside the bundle but keeps out of the .vsix. Frames of dist/features.js
// (loaded on first use) map with its own map: `npm run symbolicate -- dist/features.js.map`.
//   npm run symbolicate -- [path/to/extension.js.map] < trace.txt
// Lines without a frame of that file are printed as they are. Uses only node:module's SourceMap.
import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { basename, resolve } from 'node:path';

export function symbolicate(trace, map, file = 'extension.js') {
  const sourceMap = new SourceMap(map);
  // "at fn (…/dist/extension.js:1:2345)" or "at …/dist/extension.js:1:2345"
  const frames = new RegExp(`(?:[^\\s(]*[\\\\/])?${file.replace('.', '\\.')}:(\\d+):(\\d+)`, 'g');
  return trace.replace(frames, (frame, line, column) => {
    const entry = sourceMap.findEntry(Number(line) - 1, Number(column) - 1);
    if (!entry || entry.originalSource === undefined) return frame;
    const source = entry.originalSource.replace(/^.*?(src[\\/])/, '$1');
    return `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}${entry.name ? ` (${entry.name})` : ''}`;
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const mapPath = resolve(process.argv[2] ?? 'dist/extension.js.map');
  const map = JSON.parse(readFileSync(mapPath, 'utf8'));
  process.stdout.write(symbolicate(readFileSync(0, 'utf8'), map, basename(mapPath, '.map')));
}
