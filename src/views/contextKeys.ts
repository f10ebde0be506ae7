// The one owner of this extension's context keys: package.json's `when` clauses (menus, welcomes)
// and the walkthrough's `onContext:` completion events test them. Every key is named here with the
// type of its value, and set only from here (a rule in eslint.config.mjs), so a key a clause tests
// is one the code sets, and no two places disagree about it. A value equal to the last one set is
// not sent again: setting a context key is a round trip to the workbench.
import * as vscode from 'vscode';
import type { ViewState } from './viewState';

export interface ContextKeyValues {
  /** Which welcome the Instances view shows ('list' is never set: rows hide every welcome). */
  'fal.viewState': Exclude<ViewState, 'list'>;
  /** Some instance is listed: Delete and the others in the palette, a walkthrough step. */
  'fal.hasInstances': boolean;
  /** No key is stored but one was found in FAL_KEY or ~/.fal/config.toml. */
  'fal.keyImportAvailable': boolean;
  /** The Mine filter is on: which of its two title buttons shows. */
  'fal.mineOnly': boolean;
  /** The walkthrough's steps: a key is stored and accepted, a connection opened, an instance deleted. */
  'fal.keyStored': boolean;
  'fal.connectedOnce': boolean;
  'fal.deletedOnce': boolean;
}

export type ContextKey = keyof ContextKeyValues;

const KNOWN: Record<ContextKey, true> = {
  'fal.viewState': true,
  'fal.hasInstances': true,
  'fal.keyImportAvailable': true,
  'fal.mineOnly': true,
  'fal.keyStored': true,
  'fal.connectedOnce': true,
  'fal.deletedOnce': true,
};
export const CONTEXT_KEYS = Object.keys(KNOWN) as readonly ContextKey[];

const lastSet = new Map<ContextKey, unknown>();

export function setContextKey<K extends ContextKey>(key: K, value: ContextKeyValues[K]): Thenable<void> {
  if (lastSet.has(key) && lastSet.get(key) === value) return Promise.resolve();
  lastSet.set(key, value);
  return vscode.commands.executeCommand('setContext', key, value);
}
