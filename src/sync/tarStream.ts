// tar-stream, loaded on the first transfer: the release bundle takes it from dist/tar-stream.js
// (esbuild.mjs, as undici and ssh2), so activation neither compiles nor runs it; tests take it from
// node_modules. A plain require (not import()): the bundle stays CommonJS, as the extension host expects.
type TarStream = typeof import('tar-stream');
let loaded: TarStream | undefined;

export const tarStream = (): TarStream => (loaded ??= require('tar-stream') as TarStream);
