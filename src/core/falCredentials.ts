// Finds a fal key the user already has outside VS Code, so we can offer to import it (only with
// consent; nothing is imported silently). Same sources and precedence as fal's own CLI:
// FAL_KEY → FAL_KEY_ID + FAL_KEY_SECRET → the active profile's `key` in ~/.fal/config.toml
// (path from FAL_CONFIG_PATH, profile from FAL_PROFILE or [__internal__].profile, else "default").
import * as l10n from '@vscode/l10n';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'smol-toml';

export interface FoundCredential {
  readonly key: string;
  /** Where it came from, for the consent prompt, e.g. "the FAL_KEY environment variable". */
  readonly source: string;
}

export async function findExistingFalKey(
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
): Promise<FoundCredential | undefined> {
  const fromEnv = env.FAL_KEY?.trim();
  if (fromEnv) return { key: fromEnv, source: l10n.t('the FAL_KEY environment variable') };
  const id = env.FAL_KEY_ID?.trim();
  const secret = env.FAL_KEY_SECRET?.trim();
  if (id && secret)
    return { key: `${id}:${secret}`, source: l10n.t('the FAL_KEY_ID and FAL_KEY_SECRET environment variables') };
  return readProfileKey(env, home);
}

async function readProfileKey(env: NodeJS.ProcessEnv, home: string): Promise<FoundCredential | undefined> {
  const path = env.FAL_CONFIG_PATH?.trim() || join(home, '.fal', 'config.toml');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined; // no fal CLI config: nothing to offer
  }
  let config: Record<string, unknown>;
  try {
    config = parse(text);
  } catch {
    return undefined; // a config the fal CLI could not read either; not ours to report
  }
  const internal = config.__internal__;
  const active =
    env.FAL_PROFILE?.trim() ||
    (isTable(internal) && typeof internal.profile === 'string' ? internal.profile : undefined) ||
    'default';
  const profile = config[active];
  if (!isTable(profile) || typeof profile.key !== 'string' || !profile.key.trim()) return undefined;
  return { key: profile.key.trim(), source: l10n.t`profile "${active}" in ${path}` };
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
