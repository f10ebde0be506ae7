// An instance id becomes one segment of a URL path (`/compute/instances/{id}`), and that URL may
// delete a machine. encodeURIComponent alone is not enough: it leaves `.` and `..` alone, which URL
// normalisation then removes (`getInstance('..')` would be `GET /compute/`, `deleteInstance('.')`
// a DELETE of the collection), and proxies that decode `%2F` or `%25` once more would turn an
// encoded separator back into a real one. So ids are checked before any URL is built.
import * as l10n from '@vscode/l10n';
import { FalInputError } from './errors';
import type { Redactor } from './redaction';

/** fal's ids are short (`inst_abc123xyz`, UUIDs); anything far longer is not an id. */
export const MAX_INSTANCE_ID_LENGTH = 128;

/** Why `id` cannot name one instance in a request path, or undefined when it can. */
export function instanceIdProblem(id: unknown): string | undefined {
  if (typeof id !== 'string' || id === '') return l10n.t('it is empty');
  if (id.length > MAX_INSTANCE_ID_LENGTH) return l10n.t`it is longer than ${MAX_INSTANCE_ID_LENGTH} characters`;
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(id))
    return l10n.t('it contains broken Unicode');
  if (/[\p{Cc}\p{Cf}\p{Z}\s]/u.test(id)) return l10n.t('it contains spaces, line breaks or invisible characters');
  if (/^\.+$/.test(id))
    return l10n.t('it consists only of dots, which a URL reads as "this folder" or "the folder above"');
  if (/[/\\%?#]/.test(id)) return l10n.t('it contains / \\ % ? or #, which could change which path is requested');
  return undefined;
}

/** The id, or a FalInputError (nothing is sent) that shows the id only redacted and capped. */
export function checkedInstanceId(id: unknown, redactor: Redactor): string {
  const problem = instanceIdProblem(id);
  if (problem === undefined) return id as string;
  const shown = typeof id === 'string' && id !== '' ? ` "${redactor.text(id, 64)}"` : '';
  throw new FalInputError(l10n.t`The instance id${shown} cannot be used in a request: ${problem}. Nothing was sent.`);
}
