// Which one state the Instances view shows. Pure (no `vscode`), unit-tested.
//
// VS Code shows a view's welcome content only while the tree is empty AND the view has no
// `message` (1.100: TreeViewPane.shouldShowWelcome). So exactly one of these is on screen:
// - no rows: a welcome (package.json viewsWelcome, picked by the `fal.viewState` context key) and
//   NO message — an outage with nothing listed is explained by the welcome, with Retry and Show Logs;
// - rows: the rows, plus a one-line message only while the last refresh failed.
// While the stored key is being read the view claims nothing ('reading': no welcome matches), so a
// stored key never flashes the signed-out welcome.
import * as l10n from '@vscode/l10n';
import type { FailureKind, KeyRejectionKind } from '../core/apiFailures';
import type { LoadState } from '../core/instancesModel';

/** Values of the `fal.viewState` context key (package.json viewsWelcome and menus test them); 'list' is never set (see instancesView.ts). */
export type ViewState =
  | 'reading'
  | 'signedOut'
  | 'loading'
  | `keyRejected.${KeyRejectionKind}`
  | `error.${FailureKind}`
  | `error.server.${NamedServerStatus}`
  | 'empty'
  | 'list';

export interface ViewChrome {
  readonly state: ViewState;
  /** The tree's message line: only above rows (a message hides the welcome). */
  readonly message: string | undefined;
}

/** The server errors whose welcome names the status fal sent; any other 5xx has the general one. */
export const NAMED_SERVER_STATUSES = [500, 502, 503, 504] as const;
type NamedServerStatus = (typeof NAMED_SERVER_STATUSES)[number];

function errorState(failure: FailureKind, status: number | undefined): ViewState {
  const named = NAMED_SERVER_STATUSES.find((s) => s === status);
  return failure === 'server' && named !== undefined ? `error.server.${named}` : `error.${failure}`;
}

export function viewChrome(load: LoadState, rowCount: number): ViewChrome {
  switch (load.kind) {
    case 'reading':
    case 'signedOut':
    case 'loading':
      return { state: load.kind, message: undefined };
    case 'keyRejected':
      return { state: `keyRejected.${load.rejection.kind}`, message: undefined };
    case 'error':
      return rowCount > 0
        ? { state: 'list', message: l10n.t`Couldn't refresh; showing the last list. ${load.message}` }
        : { state: errorState(load.failure, load.status), message: undefined };
    case 'loaded':
      return { state: rowCount > 0 ? 'list' : 'empty', message: undefined };
  }
}
