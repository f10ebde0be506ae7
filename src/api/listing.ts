// Following next_cursor across pages until the listing ends — and making sure it does end:
// has_more: false ends it whatever the cursor says, a cursor seen before ends it, a page count
// and one deadline for the whole listing bound it. A listing that cannot be completed fails as a
// whole: a partial list shown as complete would hide machines that cost money (and would make
// their SSH entries look stale).
import * as l10n from '@vscode/l10n';
import { FalResponseError } from './errors';
import type { InstanceListing, ListPage } from './schemas';

/** A server-chosen cursor longer than this is refused rather than sent back in a URL. */
export const MAX_CURSOR_CHARS = 1024;

export interface ListingBounds {
  readonly maxPages: number;
  readonly endpoint: string;
}

/** `fetchPage(cursor, pagesSoFar)` fetches one page; it enforces the listing's deadline. */
export async function collectListing(
  fetchPage: (cursor: string | undefined, pagesSoFar: number) => Promise<ListPage>,
  bounds: ListingBounds,
): Promise<InstanceListing> {
  const listing: InstanceListing = { instances: [], invalid: [] };
  const seenCursors = new Set<string>();
  let cursor: string | undefined;
  for (let pages = 1; ; pages++) {
    const page = await fetchPage(cursor, pages - 1);
    listing.instances.push(...page.instances);
    listing.invalid.push(...page.invalid);
    cursor = nextCursor(page, bounds.endpoint);
    if (cursor === undefined) return listing;
    if (seenCursors.has(cursor))
      throw listError(
        bounds.endpoint,
        l10n.t`${bounds.endpoint} returned the same next_cursor twice (after ${pages} pages); stopped to avoid looping forever.`,
      );
    if (pages >= bounds.maxPages)
      throw listError(
        bounds.endpoint,
        l10n.t`${bounds.endpoint} still had more pages after ${pages} pages; stopped. Some instances are not shown.`,
      );
    seenCursors.add(cursor);
  }
}

function nextCursor(page: ListPage, endpoint: string): string | undefined {
  if (!page.has_more) return undefined;
  if (!page.next_cursor)
    throw listError(
      endpoint,
      l10n.t`${endpoint} said has_more: true but gave no next_cursor, so the remaining instances cannot be fetched.`,
    );
  if (page.next_cursor.length > MAX_CURSOR_CHARS)
    throw listError(
      endpoint,
      l10n.t`${endpoint} returned a next_cursor longer than ${MAX_CURSOR_CHARS} characters; stopped.`,
    );
  return page.next_cursor;
}

/** `message` names the endpoint itself, as one sentence to translate. */
function listError(endpoint: string, message: string): FalResponseError {
  return new FalResponseError(message, endpoint);
}
