// The workspace up and results back from VS Code (issue 19 items 3–5): which folder, which machine,
// one transfer per instance at a time over a connection borrowed from the one owner
// (src/connections), and the progress notification with its Cancel. What moves and how is
// src/sync; the commands word the outcome. It is also the ResultsSaver every delete path asks
// (src/cost/resultsFirst.ts): there, anything not brought home is a failure, so the delete waits.
import * as l10n from '@vscode/l10n';
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { errorText } from '../base/errorText';
import type { CommandTransport } from '../connections/commandTransport';
import type { InstancesModel } from '../core/instancesModel';
import type { ResultsSaveOutcome, ResultsSaver, SaveChoices } from '../cost/resultsFirst';
import type { Settings } from '../settings';
import { sshAddressOf } from '../core/sshAddress';
import { downloadResults, progressText, SyncError, uploadWorkspace, type SyncProgress } from '../sync';
import type { DownloadResult, UploadResult } from '../sync';
import type { NameLookup } from './instanceNames';
import type { InstanceKeyStore } from './instanceKeyStore';

export interface TransferDeps {
  readonly model: InstancesModel;
  readonly keyStore: InstanceKeyStore;
  readonly connections: CommandTransport;
  readonly settings: () => Settings;
  readonly names: NameLookup;
  readonly log: vscode.LogOutputChannel;
}

/** A transfer that did not happen or did not finish, in words the user can act on. */
export class TransferError extends Error {
  override readonly name = 'TransferError';
}

/** Why a transfer cannot run without an open folder, in its command's words. */
export function noFolderText(direction: 'upload' | 'download'): string {
  return direction === 'upload'
    ? l10n.t('Open a folder first: Upload Workspace copies the open folder to the machine.')
    : l10n.t('Open a folder first: Download Results brings the results into the open folder.');
}

/** The folder a transfer works on: the first local folder of the window. */
export function transferFolder(): vscode.WorkspaceFolder | undefined {
  return vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
}

export class WorkspaceTransfers implements ResultsSaver {
  /** Instance id → the transfer running on it: one at a time, so two never write the same copy. */
  private readonly running = new Map<string, string>();

  constructor(private readonly deps: TransferDeps) {}

  /** `~/<folder name>` on the machine, as the user reads it. */
  remoteDirOf(folder: vscode.WorkspaceFolder): string {
    return basename(folder.uri.fsPath);
  }

  async upload(id: string, identityFile: string, explicitlyIncluded: readonly string[] = []): Promise<UploadResult> {
    const folder = this.requireFolder(noFolderText('upload'));
    const exclude = this.deps.settings().sync.exclude;
    const result = await this.transfer(id, identityFile, l10n.t`Uploading ${folder.name} to ${this.nameOf(id)}`, (io) =>
      uploadWorkspace({
        ...io,
        localRoot: folder.uri.fsPath,
        remoteDir: this.remoteDirOf(folder),
        exclude,
        explicitlyIncluded,
      }),
    );
    // Every upload says in the log what it left home (the user's message names only a few).
    for (const s of [...result.skippedSecrets, ...result.leftOut])
      this.deps.log.info(`Upload to ${id}: left home ${JSON.stringify(s.path)}: ${s.reason}`);
    return result;
  }

  download(id: string, identityFile: string, options: DownloadChoices = {}): Promise<DownloadResult> {
    const folder = this.requireFolder(noFolderText('download'));
    const globs = options.globs ?? this.deps.settings().sync.resultsPaths;
    const title = options.title ?? l10n.t`Downloading the results of ${this.nameOf(id)}`;
    const overwriteNewer = options.overwriteNewer ?? 'never';
    return this.transfer(
      id,
      identityFile,
      title,
      (io) =>
        downloadResults({
          ...io,
          localRoot: folder.uri.fsPath,
          remoteDir: this.remoteDirOf(folder),
          globs,
          overwriteNewer,
        }),
      options.signal,
    );
  }

  /** The upload before a setup (fal.setup.uploadWorkspace): resolves with the copy's folder, relative to home. */
  async uploadBeforeSetup(id: string, identityFile: string): Promise<string> {
    await this.upload(id, identityFile);
    const folder = transferFolder();
    return folder ? this.remoteDirOf(folder) : '';
  }

  /** fal.results.paths names something to bring home. */
  hasResultsPaths(): boolean {
    return this.deps.settings().sync.resultsPaths.length > 0;
  }

  configured(): boolean {
    return this.hasResultsPaths() && transferFolder() !== undefined;
  }

  async save(id: string, signal?: AbortSignal, choices: SaveChoices = {}): Promise<ResultsSaveOutcome> {
    const identityFile = this.deps.keyStore.get(id);
    if (!identityFile)
      return { kind: 'failed', reason: l10n.t('no private key is known for it (Choose Private Key…)') };
    // A download that throws (unreachable, cancelled, a full disk) is a failed save: the delete paths
    // ask through saveOutcome (src/cost/resultsStep.ts), which says so in words.
    const title = choices.title ?? l10n.t`Bringing the results of ${this.nameOf(id)} home before its delete`;
    const globs = choices.globs;
    const result = await this.download(id, identityFile, { title, signal, ...(globs ? { globs } : {}) });
    const reason = notHomeText(result);
    this.deps.log.info(
      `Results of ${id}: ${result.downloaded.length} fetched, ${result.upToDateFiles} up to date${reason ? `; not home: ${reason}` : ''}`,
    );
    return reason
      ? { kind: 'failed', reason }
      : { kind: 'saved', fetched: result.downloaded.length, upToDate: result.upToDateFiles };
  }

  private requireFolder(why: string): vscode.WorkspaceFolder {
    const folder = transferFolder();
    if (!folder) throw new TransferError(why);
    return folder;
  }

  private async transfer<T>(
    id: string,
    identityFile: string,
    title: string,
    work: (io: TransferIo) => Promise<T>,
    signal?: AbortSignal,
  ): Promise<T> {
    const target = this.targetOf(id, identityFile);
    const busy = this.running.get(id);
    if (busy) throw new TransferError(l10n.t`${this.nameOf(id)} is busy: ${busy}. Try again when it has finished.`);
    this.running.set(id, title);
    const abort = new AbortController();
    const onAbort = () => abort.abort();
    signal?.addEventListener('abort', onAbort);
    try {
      const connection = await this.deps.connections.connect(target, { acceptNewHostKey: true }).catch((e: unknown) => {
        throw new TransferError(l10n.t`Could not reach ${this.nameOf(id)}: ${errorText(e)}`);
      });
      try {
        return await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title, cancellable: true },
          async (progress, token) => {
            token.onCancellationRequested(onAbort);
            let shown = 0;
            const onProgress = (p: SyncProgress) => {
              const percent = p.totalBytes > 0 ? (100 * p.bytes) / p.totalBytes : 0;
              progress.report({ message: progressText(p), increment: Math.max(0, percent - shown) });
              shown = Math.max(shown, percent);
            };
            return await work({ connection, signal: abort.signal, onProgress });
          },
        );
      } finally {
        await connection.close();
      }
    } catch (error) {
      throw this.wordError(id, error);
    } finally {
      signal?.removeEventListener('abort', onAbort);
      this.running.delete(id);
    }
  }

  private targetOf(id: string, identityFile: string) {
    const ip = sshAddressOf(this.deps.model.get(id));
    if (!ip)
      throw new TransferError(
        l10n.t`${this.nameOf(id)} is not ready: a transfer needs a running machine with an address.`,
      );
    const ssh = this.deps.settings().ssh;
    return { id, ip, port: ssh.port, user: ssh.user, identityFile };
  }

  private wordError(id: string, error: unknown): Error {
    if (error instanceof TransferError) return error;
    if (!(error instanceof SyncError)) return error instanceof Error ? error : new Error(String(error));
    if (error.kind === 'cancelled') return new vscode.CancellationError();
    if (error.kind === 'connection')
      return new TransferError(
        l10n.t`The connection to ${this.nameOf(id)} dropped (${error.message}). Run it again: it goes on where the machine's copy is.`,
      );
    if (error.kind === 'localFile')
      return new TransferError(l10n.t`A local file could not be read or written: ${error.message}`);
    return new TransferError(error.message);
  }

  private nameOf(id: string): string {
    return this.deps.names.get(id) ?? id;
  }
}

export interface DownloadChoices {
  /** Local files newer than the machine's that the user said to replace (default: none). */
  readonly overwriteNewer?: 'never' | readonly string[];
  readonly title?: string;
  readonly signal?: AbortSignal;
  /** What to bring home (globs relative to the machine's copy); default fal.results.paths. */
  readonly globs?: readonly string[];
}

interface TransferIo {
  readonly connection: Awaited<ReturnType<CommandTransport['connect']>>;
  readonly signal: AbortSignal;
  readonly onProgress: (p: SyncProgress) => void;
}

/** What of a download did not come home, in words; undefined when everything did. */
export function notHomeText(result: DownloadResult): string | undefined {
  const parts: string[] = [];
  // Names the machine sent are quoted: one may hold a newline or a comma.
  const few = (list: readonly { path: string }[]) => namesText(list, (p) => JSON.stringify(p));
  if (result.conflicts.length)
    parts.push(
      l10n.t('{0} newer here than on the machine (kept): {1}', result.conflicts.length, few(result.conflicts)),
    );
  if (result.refused.length) parts.push(l10n.t('{0} refused by name: {1}', result.refused.length, few(result.refused)));
  if (result.missing.length) parts.push(l10n.t('{0} not received: {1}', result.missing.length, few(result.missing)));
  return parts.length ? parts.join('; ') : undefined;
}

/** At most three names, then how many more (the full list is in the log). */
export function namesText(list: readonly { path: string }[], show: (path: string) => string = (p) => p): string {
  const shown = list.slice(0, 3).map((s) => show(s.path));
  return list.length > 3 ? l10n.t('{0} and {1} more', shown.join(', '), list.length - 3) : shown.join(', ');
}
