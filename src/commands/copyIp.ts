// "Copy IP": the instance's address to the clipboard.
import type { RemoteService } from '../remote/remoteService';

export function copyIp(remote: RemoteService, arg: unknown): Promise<void> {
  return remote.copyIp(arg);
}
