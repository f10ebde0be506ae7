// "Copy SSH Command": writes the host entry, then copies `ssh fal-<id>`.
import type { RemoteService } from '../remote/remoteService';

export function copySshCommand(remote: RemoteService, arg: unknown): Promise<void> {
  return remote.copySshCommand(arg);
}
