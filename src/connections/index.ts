// SSH connections to instances, pure (no vscode import): one owner shares one connection per
// instance among everything that runs commands there.
export {
  CommandTransportError,
  transportErrorOf,
  type CommandConnection,
  type CommandTransport,
  type ConnectOptions,
  type TransportErrorKind,
} from './commandTransport';
export { createSshTransport, type SshTransportOptions } from './sshTransport';
export { SshConnections } from './sshConnections';
export type { ExecIo, ExecResult, RunResult, SshTarget } from './types';
