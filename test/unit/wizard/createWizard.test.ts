// The create wizard, driven through a scripted UI: every step, Back, 1x vs 8x, Escape anywhere,
// key choices (found, generate, paste, browse) and the private-key refusal.
import assert from 'node:assert/strict';
import { access, readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateKeyPair, listPublicKeys, privateKeyProblem } from '../../../src/ssh';
import { runCreateWizard, type CreateArgs, type CreatePlan } from '../../../src/wizard/createWizard';
import { keyFromFile, pastedKeyProblem } from '../../../src/wizard/keyStep';
import { fixedOffsetCalendar, projectMonth, type BudgetProjection } from '../../../src/cost';
import { makeTempDir, removeDir } from '../ssh/helpers';
import { ScriptedUi, type Answer } from './scriptedUi';

const PUB = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDzXvkl1Yq0sQpW1m3FZ4a3VbQO1kB4M2cqv7rP6o3Lh pasted@test';
const PRIVATE =
  '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n-----END OPENSSH PRIVATE KEY-----\n';

describe('create wizard (scripted UI)', () => {
  let sshDir: string;
  let older: Awaited<ReturnType<typeof generateKeyPair>>;
  let newer: Awaited<ReturnType<typeof generateKeyPair>>;

  before(async () => {
    sshDir = join(makeTempDir('fal-wizard-'), '.ssh');
    older = await generateKeyPair({ sshDir, baseName: 'id_old', comment: 'old@host' });
    newer = await generateKeyPair({ sshDir, baseName: 'id_new', comment: 'new@host' });
    const past = new Date(Date.now() - 3_600_000);
    await utimes(older.publicKeyPath, past, past);
  });
  after(() => removeDir(join(sshDir, '..')));

  function run(
    script: Answer[],
    opts: {
      last?: string;
      args?: CreateArgs;
      rates?: Record<string, number>;
      defaultName?: string;
      projection?: BudgetProjection;
      defaultLeaseHours?: number;
    } = {},
  ) {
    const ui = new ScriptedUi(script);
    const result = runCreateWizard(
      {
        ui,
        hourlyUsd: opts.rates ?? {},
        lastInstanceType: opts.last,
        sshDir,
        ...(opts.defaultName && { defaultName: opts.defaultName }),
        ...(opts.defaultLeaseHours !== undefined && { defaultLeaseHours: opts.defaultLeaseHours, now: () => 0 }),
        listKeys: async () => (await listPublicKeys(sshDir)).keys,
        readFile: (p) => readFile(p, 'utf8'),
        fileExists: (p) =>
          access(p).then(
            () => true,
            () => false,
          ),
        ...(opts.projection ? { projectMonth: () => opts.projection! } : {}),
      },
      opts.args,
    );
    return { ui, result };
  }

  it('1x: type → key → confirm, three steps, no sector asked', async () => {
    const { ui, result } = run([{ pick: '1x H100' }, { pick: 'id_new.pub' }, { pick: 'Create' }]);
    const plan = (await result) as CreatePlan;
    assert.equal(plan.instanceType, 'gpu_1x_h100_sxm5');
    assert.equal(plan.sector, undefined);
    assert.equal(plan.key.kind, 'existing');
    assert.equal(plan.key.kind === 'existing' && plan.key.parsed.line, newer.parsed.line);
    assert.equal(plan.key.kind === 'existing' && plan.key.privateKeyPath, newer.privateKeyPath);
    assert.deepEqual(
      ui.shown.map((s) => `${s.step}/${s.totalSteps}`),
      ['1/3', '2/3', '3/3'],
    );
    assert.ok(!ui.shown.some((s) => /Sector/.test(s.placeholder ?? '')), 'no sector step for 1x');
    assert.deepEqual(
      ui.shown.map((s) => s.canGoBack),
      [false, true, true],
    );
    assert.ok(ui.shown.every((s) => s.title === 'Create H100 Instance'));
  });

  it('type items show GPUs, vCPU, RAM, VRAM, disk and the $/h estimate from settings', async () => {
    const { ui, result } = run(['cancel'], { rates: { gpu_8x_h100_sxm5: 20 } });
    assert.equal(await result, undefined);
    const step = ui.shown[0]!;
    assert.deepEqual(step.labels, ['1x H100', '8x H100']);
    assert.match(step.details![0]!, /1 GPU · 16 vCPU · 200 GB RAM · 80 GB VRAM · 1 TB SSD/);
    assert.match(step.details![1]!, /8 GPUs · 128 vCPU · 1,600 GB RAM · 640 GB VRAM · 8 TB SSD/);
    assert.match(step.descriptions![0]!, /\$1\.89\/h/);
    assert.match(step.descriptions![1]!, /\$20\.00\/h/);
  });

  it('confirm step: the projected month total (estimate), flagged when it passes the budget', async () => {
    const now = Date.UTC(2025, 2, 31, 12); // 12 h left in March (UTC)
    const projection = (budget?: number) =>
      projectMonth({
        monthlyUsd: budget,
        monthToDateUsd: 40,
        runningTypes: ['gpu_8x_h100_sxm5'],
        proposedType: 'gpu_1x_h100_sxm5',
        rates: {},
        now,
        calendar: fixedOffsetCalendar(0),
      });
    const detailOf = async (p: BudgetProjection) => {
      const { ui, result } = run([{ pick: '1x H100' }, { pick: 'id_new.pub' }, 'cancel'], { projection: p });
      await result;
      return ui.shown[2]!.details![0]!;
    };
    // 40 + 12 h × (15.12 + 1.89) = 244.12
    assert.equal(await detailOf(projection()), '~$244.12 this month if all keeps running (estimate)');
    assert.equal(
      await detailOf(projection(500)),
      '~$244.12 this month if all keeps running ($500.00 budget, estimate)',
    );
    assert.equal(
      await detailOf(projection(200)),
      '$(warning) Over budget: ~$244.12 this month if all keeps running ($200.00 budget, estimate)',
    );
  });

  it('the last chosen type is focused first', async () => {
    const a = run(['cancel'], { last: 'gpu_8x_h100_sxm5' });
    await a.result;
    assert.equal(a.ui.shown[0]!.activeLabel, '8x H100');
    const b = run(['cancel']);
    await b.result;
    assert.equal(b.ui.shown[0]!.activeLabel, '1x H100');
  });

  it('8x: asks for the sector (Default / sector_1..3, explaining InfiniBand), four steps', async () => {
    const { ui, result } = run([{ pick: '8x H100' }, { pick: 'sector_2' }, { pick: 'id_old.pub' }, { pick: 'Create' }]);
    const plan = (await result)!;
    assert.equal(plan.instanceType, 'gpu_8x_h100_sxm5');
    assert.equal(plan.sector, 'sector_2');
    assert.deepEqual(
      ui.shown.map((s) => `${s.step}/${s.totalSteps}`),
      ['1/3', '2/4', '3/4', '4/4'],
      'step 1 counts the default (1x) path; choosing 8x adds the sector step',
    );
    const sector = ui.shown[1]!;
    assert.deepEqual(sector.labels, ['Default', 'sector_1', 'sector_2', 'sector_3']);
    assert.match(sector.placeholder!, /InfiniBand/);
    assert.match(ui.shown[3]!.placeholder!, /8x H100 · sector_2/);
    assert.match(ui.shown[3]!.placeholder!, /\$15\.12\/h/);
  });

  it('8x with Default placement sends no sector', async () => {
    const { result } = run([{ pick: '8x H100' }, { pick: 'Default' }, { pick: 'id_new' }, { pick: 'Create' }]);
    assert.equal((await result)!.sector, undefined);
  });

  it('Back goes to the previous step with the earlier answer focused; changing 8x → 1x drops the sector', async () => {
    const { ui, result } = run([
      { pick: '8x H100' },
      { pick: 'sector_3' },
      'back', // key step → sector
      'back', // sector → type
      { pick: '1x H100' },
      { pick: 'id_new' },
      'back', // confirm → key
      { pick: 'id_old' },
      { pick: 'Create' },
    ]);
    const plan = (await result)!;
    assert.equal(plan.instanceType, 'gpu_1x_h100_sxm5');
    assert.equal(plan.sector, undefined, 'a sector picked for 8x is not sent with 1x');
    assert.equal(plan.key.kind === 'existing' && plan.key.source, older.publicKeyPath);
    assert.deepEqual(
      ui.shown.map((s) => `${s.step}/${s.totalSteps}`),
      ['1/3', '2/4', '3/4', '2/4', '1/4', '2/3', '3/3', '2/3', '3/3'],
    );
    assert.equal(ui.shown[3]!.activeLabel, 'sector_3', 'the sector chosen before is focused after Back');
    assert.equal(ui.shown[4]!.activeLabel, '8x H100', 'the type chosen before is focused after Back');
  });

  for (const [name, script] of [
    ['type', ['cancel']],
    ['sector', [{ pick: '8x' }, 'cancel']],
    ['key', [{ pick: '8x' }, { pick: 'Default' }, 'cancel']],
    ['paste box', [{ pick: '1x' }, { pick: 'Paste' }, 'cancel']],
    ['confirm', [{ pick: '1x' }, { pick: 'id_new' }, 'cancel']],
    ['confirm (Cancel item)', [{ pick: '1x' }, { pick: 'id_new' }, { pick: 'Cancel' }]],
  ] as [string, Answer[]][]) {
    it(`Escape at the ${name} step returns undefined`, async () => {
      const { ui, result } = run(script);
      assert.equal(await result, undefined);
      assert.equal(ui.remaining, 0);
    });
  }

  it('keys are listed newest first with type, comment and fingerprint, then generate / paste / browse', async () => {
    const { ui, result } = run([{ pick: '1x' }, 'cancel']);
    await result;
    const keyStep = ui.shown[1]!;
    assert.deepEqual(
      keyStep.labels!.map((l) => l.replace(/^\$\([\w-]+\) /, '')),
      ['id_new.pub', 'id_old.pub', 'Generate a new ed25519 key for fal', 'Paste a public key…', 'Browse…'],
    );
    assert.equal(keyStep.descriptions![0], 'ssh-ed25519 · new@host');
    assert.match(keyStep.details![0]!, /^SHA256:/);
    assert.equal(keyStep.details![0], newer.parsed.fingerprint);
  });

  it('"Generate" yields a plan to generate a key (nothing written by the wizard)', async () => {
    const { result } = run([{ pick: '1x' }, { pick: 'Generate' }, { pick: 'Create' }]);
    assert.deepEqual((await result)!.key, { kind: 'generate' });
    assert.equal((await listPublicKeys(sshDir)).keys.length, 2);
  });

  it('a pasted private key is refused with a clear message, then a public key is accepted', async () => {
    const { ui, result } = run([
      { pick: '1x' },
      { pick: 'Paste' },
      { input: PRIVATE },
      { input: 'ssh-ed25519 garbage' },
      { input: PUB },
      { pick: 'Create' },
    ]);
    const plan = (await result)!;
    const box = ui.shown[2]!;
    assert.equal(box.kind, 'input');
    assert.match(
      box.validation![0]!,
      /^This is a PRIVATE key\. Never share it.*It was cleared from the box and not sent\.$/,
    );
    assert.ok(box.validation![0]!.startsWith(privateKeyProblem()));
    assert.deepEqual(box.cleared, [PRIVATE], 'the private key is taken out of the box');
    assert.ok(box.validation![1], 'a damaged key is refused too');
    assert.equal(box.validation![2], undefined);
    assert.equal(plan.key.kind === 'existing' && plan.key.parsed.line, PUB);
    assert.equal(
      plan.key.kind === 'existing' && plan.key.privateKeyPath,
      undefined,
      'a pasted key has no known private key',
    );
    assert.ok(!JSON.stringify(plan).includes('PRIVATE'), 'the private key is not in the plan');
  });

  it('Back from the paste box returns to the key list', async () => {
    const { ui, result } = run([{ pick: '1x' }, { pick: 'Paste' }, 'back', { pick: 'id_old' }, { pick: 'Create' }]);
    assert.equal((await result)!.key.kind, 'existing');
    assert.deepEqual(
      ui.shown.map((s) => s.kind),
      ['pick', 'pick', 'input', 'pick', 'pick'],
    );
  });

  it('Browse…: a .pub file is used with its private sibling; a private key file uses its .pub; a bad file is explained', async () => {
    const bad = join(sshDir, 'notes.txt');
    await writeFile(bad, 'hello');
    const { ui, result } = run([
      { pick: '1x' },
      { pick: 'Browse' },
      { file: bad },
      { pick: 'Browse' },
      { file: undefined },
      { pick: 'Browse' },
      { file: older.privateKeyPath },
      { pick: 'Create' },
    ]);
    const plan = (await result)!;
    assert.equal(ui.errors.length, 1);
    assert.match(ui.errors[0]!, /notes\.txt/);
    assert.equal(plan.key.kind === 'existing' && plan.key.parsed.line, older.parsed.line);
    assert.equal(plan.key.kind === 'existing' && plan.key.privateKeyPath, older.privateKeyPath);
    assert.equal(ui.opened[0], sshDir, 'Browse starts in ~/.ssh');
  });

  it('a lone private key file chosen in Browse is refused and never becomes the key', async () => {
    const lone = join(sshDir, 'lonely');
    await writeFile(lone, PRIVATE);
    const r = await keyFromFile(
      {
        readFile: (p) => readFile(p, 'utf8'),
        fileExists: (p) =>
          access(p).then(
            () => true,
            () => false,
          ),
      },
      lone,
    );
    assert.equal(typeof r, 'string');
    assert.match(r as string, /PRIVATE key/);
  });

  it('arguments skip their steps', async () => {
    const a = run([{ pick: 'Create' }], {
      args: { instanceType: 'gpu_8x_h100_sxm5', sector: 'sector_1', sshPublicKeyPath: newer.publicKeyPath },
    });
    const plan = (await a.result)!;
    assert.deepEqual([plan.instanceType, plan.sector], ['gpu_8x_h100_sxm5', 'sector_1']);
    assert.deepEqual(
      a.ui.shown.map((s) => `${s.step}/${s.totalSteps}`),
      ['1/1'],
    );
    assert.equal(a.ui.shown[0]!.canGoBack, false);

    const b = run([{ pick: 'sector_2' }, { pick: 'id_new' }, 'back', 'back', 'back'], {
      args: { instanceType: 'gpu_8x_h100_sxm5' },
    });
    // Back on the first shown step is not offered (ScriptedUi throws if pressed there).
    await assert.rejects(b.result, /without a Back button/);

    const c = run([{ pick: '1x' }, { pick: 'id_new' }, { pick: 'Create' }], { args: { instanceType: 'gpu_9x' } });
    assert.equal((await c.result)!.instanceType, 'gpu_1x_h100_sxm5');
    assert.match(c.ui.errors[0]!, /Unknown instance type/);
  });

  it('Delete after (confirm step): proposed from fal.lease.defaultHours; 2/4/8/24 h or keep; a fractional default is a choice of its own; Back keeps it', async () => {
    const none = run([{ pick: '1x' }, { pick: 'id_new' }, { pick: 'Create' }]);
    assert.equal((await none.result)!.leaseHours, undefined, 'no default: keep until I delete, no lease');

    const byDefault = run([{ pick: '1x' }, { pick: 'id_new' }, { pick: 'Create' }], { defaultLeaseHours: 4 });
    assert.equal((await byDefault.result)!.leaseHours, 4);
    assert.ok(byDefault.ui.shown[2]!.labels!.includes('$(clock) Delete after 4 h'));

    const changed = run(
      [{ pick: '1x' }, { pick: 'id_new' }, { pick: 'Delete after' }, { pick: '24 h' }, { pick: 'Create' }],
      { defaultLeaseHours: 0.005 },
    );
    assert.equal((await changed.result)!.leaseHours, 24);
    const step = changed.ui.shown[3]!;
    assert.deepEqual(step.labels, ['Keep until I delete', '18 s', '2 h', '4 h', '8 h', '24 h']);
    assert.equal(step.activeLabel, '18 s', 'the default is focused');
    assert.match(step.descriptions![1]!, /^deletes about .+ · default$/);
    assert.equal(step.canGoBack, true);
    assert.ok(changed.ui.shown[4]!.labels!.includes('$(clock) Delete after 24 h'), 'the confirm step says the choice');

    const kept = run(
      [
        { pick: '1x' },
        { pick: 'id_new' },
        { pick: 'Delete after' },
        { pick: 'Keep until I delete' },
        { pick: 'Create' },
      ],
      { defaultLeaseHours: 8 },
    );
    assert.equal((await kept.result)!.leaseHours, undefined, 'keep: no lease although the default has one');

    const back = run([{ pick: '1x' }, { pick: 'id_new' }, { pick: 'Delete after' }, 'back', { pick: 'Create' }], {
      defaultLeaseHours: 2,
    });
    assert.equal((await back.result)!.leaseHours, 2, 'Back leaves the choice as it was');
  });

  it('the confirm step proposes the folder name; it can be changed, cleared, or refused when it is not one line', async () => {
    const kept = run([{ pick: '1x' }, { pick: 'id_new' }, { pick: 'Create' }], { defaultName: 'api' });
    assert.equal((await kept.result)!.name, 'api');
    const confirm = kept.ui.shown[2]!;
    assert.match(confirm.placeholder!, /^api · 1x H100 · /);
    assert.deepEqual(confirm.labels, [
      '$(rocket) Create 1x H100',
      '$(tag) api',
      '$(clock) Keep until I delete',
      '$(key) id_new.pub',
      '$(close) Cancel',
    ]);
    assert.equal(confirm.details![3], newer.parsed.fingerprint, 'the whole fingerprint on a line of its own');

    const changed = run(
      [
        { pick: '1x' },
        { pick: 'id_new' },
        { pick: 'api' },
        { type: 'a\nb' },
        { input: ' training ' },
        { pick: 'Create' },
      ],
      { defaultName: 'api' },
    );
    assert.equal((await changed.result)!.name, 'training');
    assert.match(changed.ui.shown[3]!.validation![0]!, /one line of visible text/);

    const cleared = run([{ pick: '1x' }, { pick: 'id_new' }, { pick: 'api' }, { input: '' }, { pick: 'Create' }], {
      defaultName: 'api',
    });
    assert.equal((await cleared.result)!.name, undefined);
    assert.equal(cleared.ui.shown[4]!.labels![1], '$(tag) Add a name…');

    const none = run([{ pick: '1x' }, { pick: 'id_new' }, { pick: 'Create' }]);
    assert.equal((await none.result)!.name, undefined, 'no folder, no name');
  });

  it('the key row of the confirm step goes back to the key step', async () => {
    const { ui, result } = run([
      { pick: '1x' },
      { pick: 'id_new' },
      { pick: 'id_new.pub' },
      { pick: 'id_old' },
      { pick: 'Create' },
    ]);
    const plan = (await result)!;
    assert.equal(plan.key.kind === 'existing' && plan.key.parsed.line, older.parsed.line);
    assert.deepEqual(
      ui.shown.map((s) => `${s.step}/${s.totalSteps}`),
      ['1/3', '2/3', '3/3', '2/3', '3/3'],
    );
  });

  it('pastedKeyProblem refuses private keys in every common armour', () => {
    assert.equal(pastedKeyProblem(PRIVATE), privateKeyProblem());
    assert.equal(
      pastedKeyProblem('-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----'),
      privateKeyProblem(),
    );
    assert.equal(pastedKeyProblem('PuTTY-User-Key-File-3: ssh-ed25519'), privateKeyProblem());
    assert.equal(pastedKeyProblem(PUB), undefined);
  });
});
