// Where our SSH files live. Built with path.join (Windows: C:\Users\me\.ssh\fal\config).
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface SshPaths {
  /** The home folder these paths were made from (Includes are written relative to it on Windows). */
  readonly home: string;
  /** ~/.ssh: the user's keys, and the default user config. */
  readonly sshDir: string;
  /** ~/.ssh/config, unless VS Code's remote.SSH.configFile names another file. */
  readonly userConfig: string;
  /** ~/.ssh/fal: ours. */
  readonly falDir: string;
  /** ~/.ssh/fal/config: the managed file with our Host blocks. */
  readonly managedConfig: string;
  /** ~/.ssh/fal/known_hosts: host keys of fal instances (UserKnownHostsFile in our blocks). */
  readonly knownHosts: string;
}

/** `remoteSshConfigFile`: the value of remote.SSH.configFile, if set (a leading ~ is expanded). */
export function sshPaths(home: string = homedir(), remoteSshConfigFile?: string): SshPaths {
  const sshDir = join(home, '.ssh');
  const falDir = join(sshDir, 'fal');
  const configured = remoteSshConfigFile?.trim();
  const userConfig = configured
    ? configured === '~' || /^~[/\\]/.test(configured)
      ? join(home, configured.slice(1))
      : configured
    : join(sshDir, 'config');
  return {
    home,
    sshDir,
    userConfig,
    falDir,
    managedConfig: join(falDir, 'config'),
    knownHosts: join(falDir, 'known_hosts'),
  };
}
