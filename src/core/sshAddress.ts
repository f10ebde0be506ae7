// Where SSH reaches a listed instance: only a ready one that is not being deleted, at an address
// that checkInstanceIp accepts. The GPU sampler, setup and transfers all take their targets from here.
import { checkInstanceIp } from '../ssh/remoteSsh';
import type { InstanceRecord } from './instanceRecord';
import { statusLook } from './status';

export function sshAddressOf(record: InstanceRecord | undefined): string | undefined {
  if (!record || record.deleting || statusLook(record.instance.status).kind !== 'ready') return undefined;
  const ip = checkInstanceIp(record.instance.ip);
  return ip.ok ? ip.ip : undefined;
}
