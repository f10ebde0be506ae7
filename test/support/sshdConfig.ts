// The sshd_config of the tests' real sshd (vscode-e2e-notes §8): loopback only, public keys only,
// no PAM and no StrictModes (the files live in a world-writable temp dir).
export interface SshdConfigOptions {
  port: number;
  hostKey: string;
  pidFile: string;
  authorizedKeys: string;
  logLevel?: 'INFO' | 'VERBOSE';
}

export function sshdConfig(o: SshdConfigOptions): string {
  return [
    `Port ${o.port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${o.hostKey}`,
    `PidFile ${o.pidFile}`,
    `AuthorizedKeysFile ${o.authorizedKeys}`,
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'PubkeyAuthentication yes',
    'PermitRootLogin prohibit-password',
    'UsePAM no',
    'StrictModes no',
    ...(o.logLevel ? [`LogLevel ${o.logLevel}`] : []),
    '',
  ].join('\n');
}
