// Runs inside the real VS Code extension host (see index.ts), against the extension loaded from
// this checkout (extensionDevelopmentPath = repo root, main = dist/extension.js).
import assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'fal-compute-community.fal-compute';

interface Contributes {
  viewsContainers?: { activitybar?: Array<{ id: string; title: string; icon: string }> };
  views?: Record<string, Array<{ id: string; name: string }>>;
  commands?: Array<{ command: string; title: string; category?: string }>;
}

function extension(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed in this extension host`);
  return ext;
}

describe('fal Compute extension (in the extension host)', () => {
  it('is present and activates', async () => {
    const ext = extension();
    await ext.activate();
    assert.equal(ext.isActive, true);
    assert.equal(ext.packageJSON.name, 'fal-compute');
  });

  it('registers fal.showLogs, and running it resolves', async () => {
    await extension().activate();
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('fal.showLogs'), 'fal.showLogs is not registered');
    await vscode.commands.executeCommand('fal.showLogs');
  });

  it('registers every command its manifest contributes', async () => {
    const ext = extension();
    await ext.activate();
    const contributed = ((ext.packageJSON.contributes as Contributes).commands ?? []).map((c) => c.command);
    assert.ok(contributed.length > 0);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(
      contributed.filter((c) => !registered.has(c)),
      [],
      'contributed but not registered',
    );
  });

  it('contributes every fal.* command it registers', async () => {
    const ext = extension();
    await ext.activate();
    const contributed = new Set(((ext.packageJSON.contributes as Contributes).commands ?? []).map((c) => c.command));
    const registered = (await vscode.commands.getCommands(true)).filter((c) => c.startsWith('fal.'));
    assert.ok(registered.length > 0);
    assert.deepEqual(
      registered.filter((c) => !contributed.has(c)),
      [],
      'registered but not contributed',
    );
  });

  it('contributes the fal Compute view container with the Instances view', async () => {
    const contributes = extension().packageJSON.contributes as Contributes;
    const container = contributes.viewsContainers?.activitybar?.find((c) => c.id === 'falCompute');
    assert.ok(container, 'no activity-bar container "falCompute"');
    assert.equal(container.title, 'fal Compute');
    // The words come from package.nls.json: VS Code puts them in place, so command errors are named by them.
    const titles = ((contributes.commands ?? []) as Array<{ title: string }>).map((c) => c.title);
    assert.deepEqual(
      titles.filter((t) => t.startsWith('%')),
      [],
    );
    const views = contributes.views?.falCompute ?? [];
    assert.ok(
      views.some((v) => v.id === 'falCompute.instances' && v.name === 'Instances'),
      'no view falCompute.instances "Instances"',
    );
    // The workbench knows the view too: focusing it goes through the real view registry.
    await vscode.commands.executeCommand('falCompute.instances.focus');
  });
});

describe('test harness', () => {
  it('passes the environment of the test runner to the extension host', () => {
    assert.equal(process.env.FAL_TEST_HOST_MARKER, 'runTests');
  });
});
