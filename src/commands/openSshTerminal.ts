// "Open SSH in Terminal": an integrated terminal named after the instance running `ssh fal-<id>`.
import type { RemoteService } from '../remote/remoteService';

export function openSshTerminal(remote: RemoteService, arg: unknown): Promise<void> {
  return remote.openSshTerminal(arg);
}
