// The import graph of src/, read with the TypeScript compiler (ts.preProcessFile: the import and
// export specifiers of each file, type-only ones included — a type import is an arrow too), and
// the two checks the floors promise: no file-level cycle, no arrow running up the floor order.
// `node out/test/unit/lint/importGraph.js` prints the folder graph.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

/** File (relative to src/, with `/`) → the files of src/ it imports. */
export type ImportGraph = ReadonlyMap<string, readonly string[]>;

export function importGraph(srcDir: string): ImportGraph {
  const files = tsFiles(srcDir);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets = importedFiles.flatMap(({ fileName }) => {
      if (!fileName.startsWith('.')) return [];
      const base = resolve(dirname(file), fileName);
      const found = [`${base}.ts`, join(base, 'index.ts')].find((candidate) => existsSync(candidate));
      return found ? [toKey(srcDir, found)] : [];
    });
    graph.set(toKey(srcDir, file), [...new Set(targets)]);
  }
  return graph;
}

/** `views/x.ts` → `views`; a top-level file `settings.ts` → `settings`. */
export function folderOf(file: string): string {
  return file.includes('/') ? file.slice(0, file.indexOf('/')) : file.replace(/\.ts$/, '');
}

/** The arrows between folders, "from -> to", with how many file imports make each. */
export function folderArrows(graph: ImportGraph): Map<string, number> {
  const arrows = new Map<string, number>();
  for (const [from, targets] of graph) {
    for (const to of targets) {
      if (folderOf(from) === folderOf(to)) continue;
      const arrow = `${folderOf(from)} -> ${folderOf(to)}`;
      arrows.set(arrow, (arrows.get(arrow) ?? 0) + 1);
    }
  }
  return new Map([...arrows].sort(([a], [b]) => a.localeCompare(b)));
}

/** The strongly connected components of more than one node (Tarjan): each is a cycle. */
export function cycles(nodes: Iterable<string>, next: (node: string) => readonly string[]): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string) => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const to of next(node)) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (onStack.has(to)) low.set(node, Math.min(low.get(node)!, index.get(to)!));
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || next(node).includes(node)) found.push(component.sort());
  };
  for (const node of nodes) if (!index.has(node)) visit(node);
  return found;
}

export const fileCycles = (graph: ImportGraph) => cycles(graph.keys(), (file) => graph.get(file) ?? []);

export function folderCycles(graph: ImportGraph): string[][] {
  const arrows = [...folderArrows(graph).keys()].map((arrow) => arrow.split(' -> ') as [string, string]);
  const folders = new Set([...graph.keys()].map(folderOf));
  return cycles(folders, (folder) => arrows.filter(([from]) => from === folder).map(([, to]) => to));
}

/** The problems with `graph` under `floors` (lowest first): folders on no floor, and arrows running up. */
export function floorViolations(graph: ImportGraph, floors: readonly (readonly string[])[]): string[] {
  const floorOf = (folder: string) => floors.findIndex((floor) => floor.includes(folder));
  const unplaced = [...new Set([...graph.keys()].map(folderOf))]
    .filter((folder) => floorOf(folder) < 0)
    .map((folder) => `src/${folder} is on no floor`);
  const upward = [...graph].flatMap(([from, targets]) =>
    targets
      .filter((to) => floorOf(folderOf(to)) > floorOf(folderOf(from)))
      .map((to) => `${from} imports ${to}, a floor above`),
  );
  return [...unplaced, ...upward];
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

function toKey(srcDir: string, file: string): string {
  return relative(srcDir, file).split('\\').join('/');
}

if (require.main === module) {
  const graph = importGraph(resolve(__dirname, '../../../../src'));
  console.log(`folders: ${[...new Set([...graph.keys()].map(folderOf))].sort().join(', ')}`);
  console.log('arrows:');
  for (const [arrow, count] of folderArrows(graph)) console.log(`  ${arrow} (${count})`);
  console.log(`folder cycles: ${JSON.stringify(folderCycles(graph))}`);
  console.log(`file cycles: ${JSON.stringify(fileCycles(graph))}`);
}
