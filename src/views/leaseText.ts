// A lease in the Instances view's words: the row's `deletes at 18:30` and the tooltip's lease row —
// apart from the cost guard's other words (costPresentation.ts), as a row is drawn at first paint.
import * as l10n from '@vscode/l10n';
import { agoText, clockText, spanText } from '../base/durations';
import { leaseLook } from '../cost/lease';

/** The lease in the row's words: `deletes at 18:30`, or that it waits while the instance is protected. */
export function leaseRowText(end: number, now: number, isProtected: boolean): string {
  const look = leaseLook(end, now, isProtected);
  return look.kind === 'waits'
    ? l10n.t('lease waits (protected)')
    : l10n.t`deletes at ${clockText(end, { today: now })}`;
}

/**
 * The tooltip's lease row (Markdown): when, and honestly who keeps it — VS Code, not the machine
 * (the admin key never goes onto it), so it acts only while a window with the extension is open.
 */
export function leaseTooltipText(end: number, now: number, isProtected: boolean): string {
  const look = leaseLook(end, now, isProtected);
  const at = clockText(end, { today: now });
  const when =
    look.kind === 'waits'
      ? `$(lock) ${end > now ? l10n.t`ends at ${at}` : l10n.t`ended at ${at}`}${l10n.t(', and waits: a protected instance is never deleted by its lease')}`
      : look.kind === 'running'
        ? `$(clock) ${l10n.t`deletes at ${at} (in ${spanText(look.leftMs)}), after a countdown`}`
        : `$(clock) ${l10n.t`deletes at ${at}: ended ${agoText(look.agoMs)}, a countdown runs first`}`;
  const kept = l10n.t(
    'Kept by VS Code, not by the machine (the admin key never goes onto it): it acts only while a VS Code window with fal Compute is open, or at the next start after it ended — after a countdown, never silently. **Extend Lease 1 h** or **Keep Until I Delete** in the context menu.',
  );
  return `${when}. ${kept}`;
}
