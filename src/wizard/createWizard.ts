// "fal: Create H100 Instance" as a wizard: instance type → sector (8x only) → SSH public key →
// confirm. Pure logic over an injectable WizardUi, so every path (Back, Escape, validation) is
// unit-tested in plain node. Nothing here sends a request or writes a file: the result is a plan
// the command executes (a key to generate is generated only after the user confirmed).
import { basename } from 'node:path';
import { INSTANCE_TYPES, SECTORS, type InstanceType, type Sector } from '../api/schemas';
import { formatUsd, hourlyRate } from '../core/cost';
import { describeSpec, MACHINE_SPECS, machineLabel } from '../core/instanceTypes';
import { isKeyProblem, looksLikePrivateKey, parsePublicKey, PRIVATE_KEY_PROBLEM, type FoundKey, type ParsedPublicKey } from '../ssh';
import { CANCEL, value, type StepFrame, type StepResult, type WizardPickItem, type WizardUi } from './wizardUi';

export const WIZARD_TITLE = 'Create H100 Instance';
export const DEFAULT_INSTANCE_TYPE: InstanceType = 'gpu_1x_h100_sxm5';

/** Arguments of the `fal.createInstance` command (e.g. from a keybinding): each one skips its step. */
export interface CreateArgs {
  instanceType?: string;
  /** `sector_1`…`sector_3`, or `default` (or null) for default placement. 8x only. */
  sector?: string | null;
  /** A `.pub` file to use without asking. */
  sshPublicKeyPath?: string;
}

export type KeyChoice =
  | { readonly kind: 'existing'; readonly parsed: ParsedPublicKey; readonly source: string; readonly privateKeyPath?: string }
  | { readonly kind: 'generate' };

export interface CreatePlan {
  readonly instanceType: InstanceType;
  readonly sector?: Sector;
  readonly key: KeyChoice;
}

export interface CreateWizardDeps {
  readonly ui: WizardUi;
  readonly hourlyUsd: Readonly<Record<string, number>>;
  /** The type chosen last time: focused first. */
  readonly lastInstanceType?: string;
  /** ~/.ssh, where generated keys go and Browse… starts. */
  readonly sshDir: string;
  /** The user's public keys, newest first (listPublicKeys). */
  listKeys(): Promise<readonly FoundKey[]>;
  readFile(path: string): Promise<string>;
  fileExists(path: string): Promise<boolean>;
}

type StepName = 'type' | 'sector' | 'key' | 'confirm';

interface State {
  instanceType?: InstanceType;
  /** null: default placement chosen. */
  sector?: Sector | null;
  key?: KeyChoice;
}

const isInstanceType = (v: unknown): v is InstanceType => (INSTANCE_TYPES as readonly unknown[]).includes(v);
const isSector = (v: unknown): v is Sector => (SECTORS as readonly unknown[]).includes(v);

/** Runs the wizard; undefined when the user cancelled (nothing was sent or written). */
export async function runCreateWizard(deps: CreateWizardDeps, args: CreateArgs = {}): Promise<CreatePlan | undefined> {
  const { ui } = deps;
  const state: State = {};
  const fixed = new Set<StepName>();

  // Arguments fill their steps in advance; an unusable argument is explained and its step asked.
  if (args.instanceType !== undefined) {
    if (isInstanceType(args.instanceType)) {
      state.instanceType = args.instanceType;
      fixed.add('type');
    } else await ui.showError(`Unknown instance type "${String(args.instanceType)}": choose gpu_1x_h100_sxm5 or gpu_8x_h100_sxm5.`);
  }
  if (args.sector !== undefined) {
    if (args.sector === null || args.sector === 'default') {
      state.sector = null;
      fixed.add('sector');
    } else if (isSector(args.sector)) {
      state.sector = args.sector;
      fixed.add('sector');
    } else await ui.showError(`Unknown sector "${String(args.sector)}": use sector_1, sector_2, sector_3 or default.`);
  }
  if (args.sshPublicKeyPath !== undefined) {
    const chosen = await keyFromFile(deps, args.sshPublicKeyPath);
    if (typeof chosen === 'string') await ui.showError(chosen);
    else {
      state.key = chosen;
      fixed.add('key');
    }
  }

  const defaultType = isInstanceType(deps.lastInstanceType) ? deps.lastInstanceType : DEFAULT_INSTANCE_TYPE;
  const steps = (): StepName[] => {
    const type = state.instanceType ?? defaultType;
    const all: StepName[] = ['type', ...(MACHINE_SPECS[type]?.supportsSector ? (['sector'] as const) : []), 'key', 'confirm'];
    return all.filter((s) => !fixed.has(s));
  };

  let index = 0;
  for (;;) {
    const list = steps();
    const name = list[index];
    if (name === undefined) return planOf(state);
    const frame: StepFrame = { title: WIZARD_TITLE, step: index + 1, totalSteps: list.length, canGoBack: index > 0 };
    const result = await runStep(name, frame, deps, state, defaultType);
    if (result.kind === 'cancel') return undefined;
    if (result.kind === 'back') index = Math.max(0, index - 1);
    else index++;
  }
}

function planOf(state: State): CreatePlan {
  const instanceType = state.instanceType!;
  const sector = MACHINE_SPECS[instanceType]?.supportsSector && state.sector ? state.sector : undefined;
  return { instanceType, ...(sector && { sector }), key: state.key! };
}

async function runStep(name: StepName, frame: StepFrame, deps: CreateWizardDeps, state: State, defaultType: InstanceType): Promise<StepResult<void>> {
  switch (name) {
    case 'type':
      return typeStep(frame, deps, state, defaultType);
    case 'sector':
      return sectorStep(frame, deps, state);
    case 'key':
      return keyStep(frame, deps, state);
    case 'confirm':
      return confirmStep(frame, deps, state);
  }
}

export function rateText(instanceType: string, hourlyUsd: Readonly<Record<string, number>>): string {
  const rate = hourlyRate(instanceType, hourlyUsd);
  return rate === undefined ? 'no hourly rate set' : `~${formatUsd(rate)}/h (estimate)`;
}

async function typeStep(frame: StepFrame, deps: CreateWizardDeps, state: State, defaultType: InstanceType): Promise<StepResult<void>> {
  const types: InstanceType[] = ['gpu_1x_h100_sxm5', 'gpu_8x_h100_sxm5'];
  const items: WizardPickItem<InstanceType>[] = types.map((t) => ({
    label: machineLabel(t),
    description: `${rateText(t, deps.hourlyUsd)}${t === deps.lastInstanceType ? ' · last used' : ''}`,
    detail: `${describeSpec(MACHINE_SPECS[t]!)}${MACHINE_SPECS[t]!.supportsSector ? ' · InfiniBand sectors' : ''}`,
    value: t,
  }));
  const current = state.instanceType ?? defaultType;
  const r = await deps.ui.pick({
    ...frame,
    placeholder: 'Instance type: NVIDIA H100 SXM, billed by the hour until you delete it',
    items,
    activeIndex: Math.max(0, types.indexOf(current)),
  });
  if (r.kind !== 'value') return r;
  state.instanceType = r.value;
  return value(undefined);
}

async function sectorStep(frame: StepFrame, deps: CreateWizardDeps, state: State): Promise<StepResult<void>> {
  const items: WizardPickItem<Sector | null>[] = [
    { label: 'Default', description: 'fal chooses the placement', detail: 'For work on this one machine; no InfiniBand link to other instances is promised.', value: null },
    ...SECTORS.map((s) => ({
      label: s,
      description: 'InfiniBand placement group',
      detail: `8x H100 instances in ${s} are linked by InfiniBand, for multi-node training (PyTorch DDP, DeepSpeed, Horovod).`,
      value: s,
    })),
  ];
  const current = state.sector ?? null;
  const r = await deps.ui.pick({
    ...frame,
    placeholder: 'Sector: 8x H100 machines in the same sector are linked by InfiniBand. Choose Default for single-machine work.',
    items,
    activeIndex: Math.max(0, items.findIndex((i) => i.value === current)),
  });
  if (r.kind !== 'value') return r;
  state.sector = r.value;
  return value(undefined);
}

type KeyAction = { kind: 'found'; key: FoundKey } | { kind: 'generate' } | { kind: 'paste' } | { kind: 'browse' };

export const GENERATE_LABEL = 'Generate a new ed25519 key for fal';
export const PASTE_LABEL = 'Paste a public key…';
export const BROWSE_LABEL = 'Browse…';

async function keyStep(frame: StepFrame, deps: CreateWizardDeps, state: State): Promise<StepResult<void>> {
  const { ui } = deps;
  for (;;) {
    const found = await deps.listKeys();
    const items: WizardPickItem<KeyAction>[] = [
      ...found.map((key) => ({
        label: `$(key) ${basename(key.publicKeyPath)}`,
        description: `${key.parsed.type}${key.parsed.comment ? ` · ${key.parsed.comment}` : ''}`,
        detail: `${key.parsed.fingerprint}${key.privateKeyPath ? '' : ' · no private key next to it (Connect will need it)'}`,
        value: { kind: 'found' as const, key },
      })),
      {
        label: `$(add) ${GENERATE_LABEL}`,
        detail: `Writes a new key pair to ${deps.sshDir} (private key mode 0600) after you confirm; never overwrites a file.`,
        value: { kind: 'generate' },
      },
      { label: `$(clippy) ${PASTE_LABEL}`, detail: 'One line starting with ssh-ed25519, ssh-rsa or ecdsa-sha2-…', value: { kind: 'paste' } },
      { label: `$(folder-opened) ${BROWSE_LABEL}`, detail: 'Choose a .pub file', value: { kind: 'browse' } },
    ];
    const current = state.key;
    const activeIndex = current?.kind === 'generate' ? found.length : Math.max(0, found.findIndex((k) => current?.kind === 'existing' && k.publicKeyPath === current.source));
    const r = await ui.pick({
      ...frame,
      placeholder: 'SSH public key installed on the instance (fal keeps only this one key; it cannot be changed later)',
      items,
      activeIndex,
    });
    if (r.kind !== 'value') return r;
    const action = r.value;
    if (action.kind === 'found') {
      state.key = { kind: 'existing', parsed: action.key.parsed, source: action.key.publicKeyPath, ...(action.key.privateKeyPath && { privateKeyPath: action.key.privateKeyPath }) };
      return value(undefined);
    }
    if (action.kind === 'generate') {
      state.key = { kind: 'generate' };
      return value(undefined);
    }
    if (action.kind === 'paste') {
      const pasted = await ui.input({
        ...frame,
        canGoBack: true,
        prompt: 'Paste an OpenSSH PUBLIC key (the one line of a .pub file). A private key is refused and never sent.',
        placeholder: 'ssh-ed25519 AAAA… you@host',
        validate: pastedKeyProblem,
      });
      if (pasted.kind === 'cancel') return CANCEL;
      if (pasted.kind === 'back') continue;
      const parsed = parsePublicKey(pasted.value);
      if (isKeyProblem(parsed)) continue; // validate refused it already; defensive
      state.key = { kind: 'existing', parsed, source: 'pasted' };
      return value(undefined);
    }
    const path = await ui.openFile({ title: 'Choose an SSH public key (.pub)', defaultFolder: deps.sshDir });
    if (path === undefined) continue;
    const chosen = await keyFromFile(deps, path);
    if (typeof chosen === 'string') {
      await ui.showError(chosen);
      continue;
    }
    state.key = chosen;
    return value(undefined);
  }
}

/** The validation message of the paste box: undefined when the text is a usable public key. */
export function pastedKeyProblem(text: string): string | undefined {
  if (looksLikePrivateKey(text)) return PRIVATE_KEY_PROBLEM;
  const parsed = parsePublicKey(text);
  return isKeyProblem(parsed) ? parsed.problem : undefined;
}

/** A key from a file, or a message explaining why the file cannot be used. */
export async function keyFromFile(deps: Pick<CreateWizardDeps, 'readFile' | 'fileExists'>, path: string): Promise<KeyChoice | string> {
  let text: string;
  try {
    text = await deps.readFile(path);
  } catch (e) {
    return `Cannot read ${path}: ${e instanceof Error ? e.message : String(e)}`;
  }
  if (text.length > 64 * 1024) return `${basename(path)} is too large to be a public key.`;
  if (looksLikePrivateKey(text)) {
    // The private half was chosen: use its .pub sibling when there is one, never the file itself.
    const sibling = `${path}.pub`;
    if (await deps.fileExists(sibling)) {
      const pub = await keyFromFile(deps, sibling);
      if (typeof pub !== 'string' && pub.kind === 'existing') return { ...pub, privateKeyPath: path };
    }
    return `${basename(path)}: ${PRIVATE_KEY_PROBLEM} It was not sent.`;
  }
  const parsed = parsePublicKey(text);
  if (isKeyProblem(parsed)) return `${basename(path)}: ${parsed.problem}`;
  const privatePath = path.endsWith('.pub') ? path.slice(0, -'.pub'.length) : undefined;
  const hasPrivate = privatePath !== undefined && (await deps.fileExists(privatePath));
  return { kind: 'existing', parsed, source: path, ...(hasPrivate && { privateKeyPath: privatePath }) };
}

export function keySummary(key: KeyChoice): string {
  if (key.kind === 'generate') return 'a new ed25519 key (generated when you confirm)';
  const name = key.source === 'pasted' ? 'pasted key' : basename(key.source);
  return `${name} (${key.parsed.type}, ${key.parsed.fingerprint})`;
}

export function planSummary(plan: { instanceType: InstanceType; sector?: Sector | null; key: KeyChoice }): string {
  const placement = MACHINE_SPECS[plan.instanceType]?.supportsSector ? ` · ${plan.sector ?? 'default placement'}` : '';
  return `${machineLabel(plan.instanceType)}${placement} · SSH key: ${keySummary(plan.key)}`;
}

async function confirmStep(frame: StepFrame, deps: CreateWizardDeps, state: State): Promise<StepResult<void>> {
  const plan = planOf(state);
  const rate = rateText(plan.instanceType, deps.hourlyUsd);
  const r = await deps.ui.pick<boolean>({
    ...frame,
    placeholder: `${planSummary(plan)} · ${rate}`,
    items: [
      {
        label: `$(rocket) Create ${machineLabel(plan.instanceType)}`,
        description: rate,
        detail: `${describeSpec(MACHINE_SPECS[plan.instanceType]!)}. Billed by the hour from now until you delete it.`,
        value: true,
      },
      { label: '$(close) Cancel', description: 'nothing is created', value: false },
    ],
    activeIndex: 0,
  });
  if (r.kind !== 'value') return r;
  return r.value ? value(undefined) : CANCEL;
}

