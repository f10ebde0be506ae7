// The floors hold for the whole of src/: the graph of its imports (TypeScript's own reading of
// every file) has no cycle and no arrow running up the floor order of eslint.config.mjs. ESLint
// checks each import as it is written; this checks what ESLint cannot see: a cycle inside one
// floor, a folder placed on no floor.
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fileCycles, floorViolations, folderCycles, importGraph, type ImportGraph } from './importGraph';

const root = resolve(__dirname, '../../../..');
const floors = async () =>
  ((await import(pathToFileURL(resolve(root, 'eslint.config.mjs')).href)) as { FLOORS: string[][] }).FLOORS;

describe('the import graph of src/', () => {
  const graph = importGraph(resolve(root, 'src'));

  it('is read in full: every file, with its imports of our own files', () => {
    assert.ok(graph.size > 150, `${graph.size} files`);
    assert.ok(graph.get('extension.ts')!.includes('commands/registerCommand.ts'));
    assert.ok(graph.get('cost/costGuard.ts')!.includes('base/emitter.ts'), 'a class import');
    assert.ok(
      graph.get('remote/hostPreparation.ts')!.includes('views/gettingStarted.ts'),
      'a type-only import is an arrow too',
    );
  });

  it('has no file-level cycle and no folder-level cycle', () => {
    assert.deepEqual(fileCycles(graph), []);
    assert.deepEqual(folderCycles(graph), []);
  });

  it('has every folder on a floor and no arrow running up the floor order', async () => {
    assert.deepEqual(floorViolations(graph, await floors()), []);
  });

  it('the checks fire on a planted cycle, an upward arrow and a folder on no floor', async () => {
    const planted: ImportGraph = new Map([
      ...graph,
      ['core/planted.ts', ['views/plantedView.ts']],
      ['views/plantedView.ts', ['core/planted.ts']],
      ['newFolder/x.ts', []],
    ]);
    assert.deepEqual(fileCycles(planted), [['core/planted.ts', 'views/plantedView.ts']]);
    const [folderCycle, ...more] = folderCycles(planted);
    assert.ok(
      folderCycle!.includes('core') && folderCycle!.includes('views') && more.length === 0,
      JSON.stringify(folderCycles(planted)),
    );
    assert.deepEqual(floorViolations(planted, await floors()), [
      'src/newFolder is on no floor',
      'core/planted.ts imports views/plantedView.ts, a floor above',
    ]);
  });

  it('a file that imports itself is a cycle', () => {
    assert.deepEqual(fileCycles(new Map([['a.ts', ['a.ts']]])), [['a.ts']]);
  });
});
