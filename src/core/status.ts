// How each instance status looks and behaves in the UI. fal documents the six values but not
// their meaning; values fal adds later are shown as "unrecognized", never as an error.
import * as l10n from '@vscode/l10n';

export type StatusKind = 'ready' | 'transitional' | 'stopped' | 'unknown' | 'unrecognized';

export interface StatusLook {
  readonly kind: StatusKind;
  /** Codicon id; `~spin` makes it spin. */
  readonly icon: string;
  /** Theme colour id for the icon. */
  readonly color: string;
  /** Words for the row description and tooltip. */
  readonly label: string;
}

// The words of each look are made when asked for (after extension.ts gave the bundle), not at load.
const LOOKS: Readonly<Record<string, () => StatusLook>> = {
  ready: () => ({ kind: 'ready', icon: 'vm-running', color: 'testing.iconPassed', label: l10n.t('ready') }),
  init: () => ({ kind: 'transitional', icon: 'loading~spin', color: 'charts.yellow', label: l10n.t('initializing') }),
  pending: () => ({ kind: 'transitional', icon: 'loading~spin', color: 'charts.yellow', label: l10n.t('pending') }),
  provisioning: () => ({
    kind: 'transitional',
    icon: 'loading~spin',
    color: 'charts.yellow',
    label: l10n.t('provisioning'),
  }),
  stopped: () => ({ kind: 'stopped', icon: 'debug-stop', color: 'disabledForeground', label: l10n.t('stopped') }),
  unknown: () => ({ kind: 'unknown', icon: 'question', color: 'charts.orange', label: l10n.t('unknown') }),
};

export function statusLook(status: string): StatusLook {
  if (Object.hasOwn(LOOKS, status)) return LOOKS[status]!();
  return { kind: 'unrecognized', icon: 'question', color: 'charts.orange', label: status || l10n.t('unrecognized') };
}

/** Statuses worth fast polling: the machine is on its way somewhere. */
export function isTransitional(status: string): boolean {
  return statusLook(status).kind === 'transitional';
}

/** The order used when sorting or grouping by status: what needs attention first. */
export const STATUS_ORDER: readonly StatusKind[] = ['ready', 'transitional', 'unknown', 'unrecognized', 'stopped'];
