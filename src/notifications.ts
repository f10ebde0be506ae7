// Every notification and modal message this extension shows goes through here (a rule in
// eslint.config.mjs). VS Code makes `[label](https://…)`, `[label](command:…)` and `[label](file:…)`
// in a notification message a link that runs when clicked, and messages carry outside text: fal's
// words and ids, a machine's errors, the user's names. None of this extension's own messages has a
// link, so the whole message is made link-free (notificationText) in one place.
import * as vscode from 'vscode';
import { notificationText } from './core/markdownText';

type Show = typeof vscode.window.showInformationMessage;

function linkFree(show: () => Show): Show {
  return ((message: string, ...rest: never[]) => show()(notificationText(message), ...rest)) as Show;
}

// Looked up on each call, so tests that replace vscode.window's functions still see the calls.
export const showInformationMessage = linkFree(() => vscode.window.showInformationMessage);
export const showWarningMessage = linkFree(() => vscode.window.showWarningMessage);
export const showErrorMessage = linkFree(() => vscode.window.showErrorMessage);
