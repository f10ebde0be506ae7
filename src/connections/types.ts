// What the connection owner connects to and what a command returns. Plain data, no vscode.

/** An instance to open an SSH connection to: its address, the login user and the private key that opens it. */
export interface SshTarget {
  readonly id: string;
  readonly ip: string;
  readonly port: number;
  readonly user: string;
  /** Absolute path of the private key. */
  readonly identityFile: string;
}

/** The result of one command over SSH. */
export interface RunResult {
  /** What the command printed on stdout, bounded (see `truncated`). */
  readonly stdout: string;
  /** stderr, kept apart: a login shell's startup noise (a broken .bashrc) lands there, not in the output we parse. */
  readonly stderr: string;
  /** undefined when the command ended by a signal or the server sent no exit status. */
  readonly exitCode: number | undefined;
  /** The output exceeded the transport's limit; the rest was discarded and the command closed. */
  readonly truncated: boolean;
}

/** The streams of one exec(): what goes in, where the output goes, how it is stopped. */
export interface ExecIo {
  /** Piped into the command's stdin; stdin is ended when it ends (at once when absent). */
  readonly stdin?: NodeJS.ReadableStream;
  /** The command's stdout is piped here (ended with it); discarded when absent. */
  readonly stdout?: NodeJS.WritableStream;
  /** Aborting closes the session (the remote command gets SIGHUP from its ended session, as with ssh). */
  readonly signal?: AbortSignal;
  /** No byte in either direction for this long ends the command ('timeout'). Default 60 s. */
  readonly idleTimeoutMs?: number;
}

export interface ExecResult {
  /** undefined when the command ended by a signal or the server sent no exit status. */
  readonly exitCode: number | undefined;
  /** stderr, bounded to its first 64 KiB (a transfer's error, not its data). */
  readonly stderr: string;
}
