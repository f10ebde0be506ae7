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
