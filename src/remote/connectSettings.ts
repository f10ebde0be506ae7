// The settings Connect reads (fal.ssh.*, fal.connect.openIn, remote.SSH.configFile).
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import { sshPaths, type SshPaths } from '../ssh';

export interface ConnectSettings {
  readonly user: string;
  readonly port: number;
  readonly openIn: 'newWindow' | 'currentWindow';
  readonly home: string;
  readonly paths: SshPaths;
}

export function readConnectSettings(): ConnectSettings {
  const fal = vscode.workspace.getConfiguration('fal');
  const user = (fal.get<string>('ssh.user') ?? '').trim() || 'ubuntu';
  const port = fal.get<number>('ssh.port') ?? 22;
  const openIn = fal.get<string>('connect.openIn') === 'currentWindow' ? 'currentWindow' : 'newWindow';
  const configFile = vscode.workspace.getConfiguration('remote.SSH').get<string>('configFile') || undefined;
  const home = homedir();
  return { user, port, openIn, home, paths: sshPaths(home, configFile) };
}
