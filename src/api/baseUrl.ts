// The base URL decides where the API key is sent, so it is held to strict rules: HTTPS
// (plain HTTP only to this machine, for the emulator) and nothing but scheme, host, port, path.
import * as l10n from '@vscode/l10n';
import { FalConfigError } from './errors';

export const DEFAULT_BASE_URL = 'https://api.fal.ai/v1';

/** The validated base URL, without a trailing slash. Throws FalConfigError. */
export function parseBaseUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new FalConfigError(l10n.t`The fal API base URL is not a valid URL. Use ${DEFAULT_BASE_URL}.`);
  }
  if (url.username || url.password) {
    throw new FalConfigError(l10n.t('The fal API base URL must not contain a user name or password.'));
  }
  if (url.search || url.hash) {
    throw new FalConfigError(l10n.t('The fal API base URL must not contain a query (?…) or fragment (#…).'));
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    throw new FalConfigError(
      l10n.t`The fal API base URL must use https:// (plain http:// is only allowed for this machine, e.g. a local emulator); got http://${url.host}.`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new FalConfigError(l10n.t`The fal API base URL must use https://, not ${url.protocol}//.`);
  }
  url.pathname = url.pathname.replace(/\/+$/, '');
  return url;
}

export function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}
