// WizardUi over VS Code's quick input: one QuickPick/InputBox per step with title, "Step n of m",
// a Back button, validation messages; Escape (or hiding) cancels.
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { BACK, CANCEL, value, type InputOptions, type PickOptions, type StepResult, type WizardUi } from './wizardUi';
import { showErrorMessage } from '../notifications';

export class VscodeWizardUi implements WizardUi {
  pick<T>(options: PickOptions<T>): Promise<StepResult<T>> {
    type Item = vscode.QuickPickItem & { value: T };
    const qp = vscode.window.createQuickPick<Item>();
    qp.title = options.title;
    qp.step = options.step;
    qp.totalSteps = options.totalSteps;
    qp.placeholder = options.placeholder;
    qp.ignoreFocusOut = true;
    qp.matchOnDescription = true;
    qp.matchOnDetail = true;
    qp.buttons = options.canGoBack ? [vscode.QuickInputButtons.Back] : [];
    const items: Item[] = options.items.map((i) => ({
      label: i.label,
      description: i.description,
      detail: i.detail,
      value: i.value,
    }));
    qp.items = items;
    const active = items[options.activeIndex ?? 0];
    if (active) qp.activeItems = [active];
    return new Promise<StepResult<T>>((resolve) => {
      let settled = false;
      const done = (r: StepResult<T>) => {
        if (settled) return;
        settled = true;
        resolve(r);
        qp.dispose();
      };
      qp.onDidTriggerButton((b) => b === vscode.QuickInputButtons.Back && done(BACK));
      qp.onDidAccept(() => {
        const chosen = qp.selectedItems[0] ?? qp.activeItems[0];
        if (chosen) done(value(chosen.value));
      });
      qp.onDidHide(() => done(CANCEL));
      qp.show();
    });
  }

  input(options: InputOptions): Promise<StepResult<string>> {
    const box = vscode.window.createInputBox();
    box.title = options.title;
    box.step = options.step;
    box.totalSteps = options.totalSteps;
    box.prompt = options.prompt;
    box.placeholder = options.placeholder;
    box.value = options.value ?? '';
    box.ignoreFocusOut = true;
    box.buttons = options.canGoBack ? [vscode.QuickInputButtons.Back] : [];
    const show = (message: string | undefined) => {
      box.validationMessage = message ? { message, severity: vscode.InputBoxValidationSeverity.Error } : undefined;
    };
    return new Promise<StepResult<string>>((resolve) => {
      let settled = false;
      const done = (r: StepResult<string>) => {
        if (settled) return;
        settled = true;
        resolve(r);
        box.dispose();
      };
      // The message of a value taken out of the box (a private key): it stays while the box is empty.
      let removed: string | undefined;
      const refuse = (v: string): boolean => {
        const message = options.refuseAndClear?.(v);
        if (!message) return false;
        removed = message;
        box.value = '';
        show(message);
        return true;
      };
      box.onDidTriggerButton((b) => b === vscode.QuickInputButtons.Back && done(BACK));
      box.onDidChangeValue((v) => {
        if (refuse(v)) return;
        if (!v.trim()) return show(removed);
        removed = undefined;
        show(options.validate(v));
      });
      box.onDidAccept(() => {
        if (refuse(box.value)) return;
        if (!box.value.trim() && removed) return show(removed);
        const problem = options.validate(box.value);
        if (problem) show(problem);
        else done(value(box.value));
      });
      box.onDidHide(() => done(CANCEL));
      box.show();
    });
  }

  async openFile(options: { title: string; defaultFolder?: string }): Promise<string | undefined> {
    const picked = await vscode.window.showOpenDialog({
      title: options.title,
      canSelectMany: false,
      openLabel: l10n.t('Use this key'),
      ...(options.defaultFolder && { defaultUri: vscode.Uri.file(options.defaultFolder) }),
    });
    return picked?.[0]?.fsPath;
  }

  async showError(message: string): Promise<void> {
    await showErrorMessage(message, { modal: true });
  }
}
