// The workspace up and results back, pure (no vscode import): what the Upload Workspace and Download
// Results commands call with a borrowed connection (src/connections). Both read the machine's own
// manifest first, so a run after a dropped connection resumes where the machine's copy is.
export { uploadWorkspace, type UploadOptions, type UploadResult } from './upload';
export { downloadResults, type Conflict, type DownloadOptions, type DownloadResult } from './download';
export { progressText, type SyncProgress } from './progress';
export { SyncError, type SyncErrorKind } from './syncError';
export type { LeftOut } from './localTree';
export { unsafeNameReason, type PathRules } from './pathSafety';
