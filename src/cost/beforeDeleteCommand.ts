// `fal.idle.beforeDelete`: the user's command (e.g. `rsync -a ubuntu@${host}:outputs/ ./outputs-${instanceId}/`)
// with `${host}` and `${instanceId}` filled in. The values come from fal's API, so they are treated
// as hostile. Quoting them cannot be made safe for every shell the command may run in (sh, bash,
// zsh, fish, PowerShell, cmd.exe all differ, and cmd.exe has no quoting that stops `%` expansion),
// and quoting would also break a template that already wraps `${host}` in its own quotes. So a
// value is substituted only when it is made of characters that mean nothing to any of those shells
// — letters, digits, `.`, `_`, `:` and `-`, not starting with `-` (an option) — and the whole
// command is refused otherwise. Every real fal id (`inst_…`) and IPv4/IPv6 address passes.
import * as l10n from '@vscode/l10n';

export interface BeforeDeleteValues {
  readonly host: string;
  readonly instanceId: string;
}

export type Substitution =
  { readonly ok: true; readonly command: string } | { readonly ok: false; readonly reason: string };

const SAFE_VALUE = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;
const MAX_VALUE_LENGTH = 253; // the longest DNS name

export function isShellInert(value: string): boolean {
  return value.length <= MAX_VALUE_LENGTH && SAFE_VALUE.test(value);
}

/** Fills `${host}` and `${instanceId}`; other `${…}` are left for the shell (e.g. `${HOME}`). */
export function substituteBeforeDelete(template: string, values: BeforeDeleteValues): Substitution {
  if (!template.trim()) return { ok: false, reason: l10n.t('no command is set') };
  const used = new Set<keyof BeforeDeleteValues>();
  const command = template.replace(/\$\{(host|instanceId)\}/g, (_match, name: keyof BeforeDeleteValues) => {
    used.add(name);
    return values[name];
  });
  for (const name of used) {
    if (!isShellInert(values[name])) {
      return {
        ok: false,
        reason: l10n.t`the ${name} ${JSON.stringify(values[name].slice(0, 80))} is not safe to put into a shell command`,
      };
    }
  }
  return { ok: true, command };
}
