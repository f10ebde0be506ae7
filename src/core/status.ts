// How each instance status looks and behaves in the UI. fal documents the six values but not
// their meaning; values fal adds later are shown as "unrecognized", never as an error.

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

const LOOKS: Readonly<Record<string, StatusLook>> = {
  ready: { kind: 'ready', icon: 'vm-running', color: 'testing.iconPassed', label: 'ready' },
  init: { kind: 'transitional', icon: 'loading~spin', color: 'charts.yellow', label: 'initializing' },
  pending: { kind: 'transitional', icon: 'loading~spin', color: 'charts.yellow', label: 'pending' },
  provisioning: { kind: 'transitional', icon: 'loading~spin', color: 'charts.yellow', label: 'provisioning' },
  stopped: { kind: 'stopped', icon: 'debug-stop', color: 'disabledForeground', label: 'stopped' },
  unknown: { kind: 'unknown', icon: 'question', color: 'charts.orange', label: 'unknown' },
};

export function statusLook(status: string): StatusLook {
  if (Object.hasOwn(LOOKS, status)) return LOOKS[status]!;
  return { kind: 'unrecognized', icon: 'question', color: 'charts.orange', label: status || 'unrecognized' };
}

/** Statuses worth fast polling: the machine is on its way somewhere. */
export function isTransitional(status: string): boolean {
  return statusLook(status).kind === 'transitional';
}

/** The order used when sorting or grouping by status: what needs attention first. */
export const STATUS_ORDER: readonly StatusKind[] = ['ready', 'transitional', 'unknown', 'unrecognized', 'stopped'];
