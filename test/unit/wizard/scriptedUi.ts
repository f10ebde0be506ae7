// A WizardUi that answers from a script, and records what each step showed.
import type { InputOptions, PickOptions, StepResult, WizardUi } from '../../../src/wizard/wizardUi';

export type Answer =
  | { pick: string } // the item whose label contains this text
  | { input: string } // typed and accepted (refused values are recorded and the next answer is tried)
  | { type: string } // typed only: the validation message is recorded, then the next answer runs
  | { file: string | undefined }
  | 'back'
  | 'cancel';

export interface ShownStep {
  kind: 'pick' | 'input';
  title: string;
  step: number;
  totalSteps: number;
  canGoBack: boolean;
  placeholder?: string;
  labels?: string[];
  descriptions?: (string | undefined)[];
  details?: (string | undefined)[];
  activeLabel?: string;
  validation?: (string | undefined)[];
  /** Values the box emptied itself of (refuseAndClear), in order. */
  cleared?: string[];
}

export class ScriptedUi implements WizardUi {
  readonly shown: ShownStep[] = [];
  readonly errors: string[] = [];
  readonly opened: string[] = [];

  constructor(private readonly script: Answer[]) {}

  private next(kind: string): Answer {
    const a = this.script.shift();
    if (a === undefined)
      throw new Error(
        `the script has no answer left for a ${kind} (shown so far: ${JSON.stringify(this.shown.map((s) => s.placeholder ?? s.kind))})`,
      );
    return a;
  }

  async pick<T>(o: PickOptions<T>): Promise<StepResult<T>> {
    this.shown.push({
      kind: 'pick',
      title: o.title,
      step: o.step,
      totalSteps: o.totalSteps,
      canGoBack: o.canGoBack,
      placeholder: o.placeholder,
      labels: o.items.map((i) => i.label),
      descriptions: o.items.map((i) => i.description),
      details: o.items.map((i) => i.detail),
      activeLabel: o.items[o.activeIndex ?? 0]?.label,
    });
    const a = this.next('pick');
    if (a === 'back') {
      if (!o.canGoBack) throw new Error('Back pressed on a step without a Back button');
      return { kind: 'back' };
    }
    if (a === 'cancel') return { kind: 'cancel' };
    if (!('pick' in a)) throw new Error(`expected a pick answer, got ${JSON.stringify(a)}`);
    const item = o.items.find((i) => i.label.includes(a.pick));
    if (!item) throw new Error(`no item "${a.pick}" in ${JSON.stringify(o.items.map((i) => i.label))}`);
    return { kind: 'value', value: item.value };
  }

  async input(o: InputOptions): Promise<StepResult<string>> {
    const shown: ShownStep = {
      kind: 'input',
      title: o.title,
      step: o.step,
      totalSteps: o.totalSteps,
      canGoBack: o.canGoBack,
      placeholder: o.prompt,
      validation: [],
    };
    this.shown.push(shown);
    for (;;) {
      const a = this.next('input');
      if (a === 'back') return { kind: 'back' };
      if (a === 'cancel') return { kind: 'cancel' };
      const typed = 'type' in a ? a.type : 'input' in a ? a.input : undefined;
      const refused = typed === undefined ? undefined : o.refuseAndClear?.(typed);
      if (typed !== undefined && refused) {
        // As the real box does: emptied at once, the message stays, Enter accepts nothing.
        shown.validation!.push(refused);
        (shown.cleared ??= []).push(typed);
        continue;
      }
      if ('type' in a) {
        shown.validation!.push(o.validate(a.type));
        continue;
      }
      if (!('input' in a)) throw new Error(`expected an input answer, got ${JSON.stringify(a)}`);
      const problem = o.validate(a.input);
      shown.validation!.push(problem);
      if (problem === undefined) return { kind: 'value', value: a.input };
      // Enter on an invalid value keeps the box open: the next answer continues in it.
    }
  }

  async openFile(o: { title: string; defaultFolder?: string }): Promise<string | undefined> {
    this.opened.push(o.defaultFolder ?? '');
    const a = this.next('openFile');
    if (typeof a === 'object' && 'file' in a) return a.file;
    throw new Error(`expected a file answer, got ${JSON.stringify(a)}`);
  }

  async showError(message: string): Promise<void> {
    this.errors.push(message);
  }

  get remaining(): number {
    return this.script.length;
  }
}
