// The status bar's jobs part: `$(run) 2 jobs running` in the one line while jobs run; they go on
// when VS Code closes, so the count is worth a glance.
import * as l10n from '@vscode/l10n';
import type { StatusPart } from './statusBar';

export function jobsPart(running: number): StatusPart | undefined {
  if (running === 0) return undefined;
  const text = running === 1 ? l10n.t('1 job running') : l10n.t('{0} jobs running', running);
  return {
    text: `$(run) ${text}`,
    tooltip: l10n.t`**Jobs**: ${text} — they go on when VS Code closes; their rows are under their machines.`,
    accessibility: text,
    urgency: 'info',
  };
}
