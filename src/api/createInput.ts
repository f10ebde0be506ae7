// The create request body, validated locally: a wrong type, a sector fal would reject, or a
// private key pasted by mistake must never reach the network.
import * as l10n from '@vscode/l10n';
import { FalInputError } from './errors';
import { isKnownInstanceType, isKnownSector, type InstanceType, type Sector } from './schemas';
import { checkSshPublicKey } from './sshKey';

export interface CreateInstanceInput {
  instanceType: InstanceType;
  sshKey: string;
  /** Only for gpu_8x_h100_sxm5 (InfiniBand placement group); omitted means default placement. */
  sector?: Sector;
}

export interface CreateRequestBody {
  instance_type: InstanceType;
  ssh_key: string;
  sector?: Sector;
}

/** Throws FalInputError with a user-facing explanation. */
export function createRequestBody(input: CreateInstanceInput): CreateRequestBody {
  if (!isKnownInstanceType(input.instanceType)) {
    throw new FalInputError(
      l10n.t('Unknown instance type. Choose gpu_1x_h100_sxm5 (1×H100) or gpu_8x_h100_sxm5 (8×H100).'),
    );
  }
  const sshKeyProblem = checkSshPublicKey(typeof input.sshKey === 'string' ? input.sshKey : '');
  if (sshKeyProblem) throw new FalInputError(sshKeyProblem);
  const body: CreateRequestBody = { instance_type: input.instanceType, ssh_key: input.sshKey.trim() };
  if (input.sector === undefined) return body;
  if (!isKnownSector(input.sector))
    throw new FalInputError(l10n.t('Unknown sector. Choose sector_1, sector_2 or sector_3, or leave it empty.'));
  if (input.instanceType !== 'gpu_8x_h100_sxm5') {
    throw new FalInputError(
      l10n.t('A sector can only be chosen for gpu_8x_h100_sxm5 (8×H100); single-GPU machines are placed by fal.'),
    );
  }
  return { ...body, sector: input.sector };
}
