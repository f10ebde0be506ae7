// The UI a wizard step talks to. The extension implements it over VS Code's quick input
// (vscodeWizardUi.ts); unit tests script it. No runtime `vscode` import here.

/** Where a step sits in the wizard: "Step 2 of 4", with a Back button unless it is the first. */
export interface StepFrame {
  readonly title: string;
  readonly step: number;
  readonly totalSteps: number;
  readonly canGoBack: boolean;
}

export interface WizardPickItem<T> {
  readonly label: string;
  readonly description?: string;
  readonly detail?: string;
  readonly value: T;
}

/** What a step returned: a value, Back (the Back button), or cancel (Escape / focus lost). */
export type StepResult<T> =
  { readonly kind: 'value'; readonly value: T } | { readonly kind: 'back' } | { readonly kind: 'cancel' };

export interface PickOptions<T> extends StepFrame {
  readonly placeholder: string;
  readonly items: readonly WizardPickItem<T>[];
  /** Index of the item focused when the pick opens (e.g. the last choice). */
  readonly activeIndex?: number;
}

export interface InputOptions extends StepFrame {
  readonly prompt: string;
  readonly placeholder?: string;
  readonly value?: string;
  /** A message shown under the box while the value is not acceptable; Enter is refused meanwhile. */
  readonly validate: (value: string) => string | undefined;
  /**
   * A value that must not stay on screen (a private key): when this returns a message, the box is
   * emptied at once and the message stays under it until something else is typed.
   */
  readonly refuseAndClear?: (value: string) => string | undefined;
}

export interface WizardUi {
  pick<T>(options: PickOptions<T>): Promise<StepResult<T>>;
  input(options: InputOptions): Promise<StepResult<string>>;
  /** A file chooser; undefined when the user closes it. */
  openFile(options: { title: string; defaultFolder?: string }): Promise<string | undefined>;
  /** Tells the user why a choice did not work; the wizard then shows the step again. */
  showError(message: string): Promise<void>;
}

export const value = <T>(v: T): StepResult<T> => ({ kind: 'value', value: v });
export const BACK: StepResult<never> = { kind: 'back' };
export const CANCEL: StepResult<never> = { kind: 'cancel' };
