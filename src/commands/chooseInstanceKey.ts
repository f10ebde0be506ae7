// "fal: Choose Private Key…": which private key opens an instance, for the GPU view (Connect reads
// the same record). Asked with the connect flow's own picker; offered for ready instances whose
// key is not known yet (the tooltip's "Choose it…" link passes the instance).
import * as l10n from '@vscode/l10n';
import type { InstanceRecord } from '../core/instancesModel';
import { statusLook } from '../core/status';
import { chooseKey } from '../remote/hostPreparation';
import type { RemoteDeps } from './connect';
import { pickInstance } from './instancePicker';

export async function chooseInstanceKey(deps: RemoteDeps, arg: unknown): Promise<void> {
  const needsKey = (r: InstanceRecord) =>
    statusLook(r.instance.status).kind === 'ready' && !deps.keyStore.get(r.instance.id);
  const record = await pickInstance(
    deps.controller.model,
    arg,
    l10n.t('Choose the private key of which instance?'),
    needsKey,
  );
  if (!record) return;
  // A link passes the instance; it is held to what the picker offers, so a link can only start
  // the question the tooltip asks (which key opens this ready instance), never replace a known key.
  if (!needsKey(record)) {
    deps.log.info(
      `Choose Private Key: ${record.instance.id} is not a ready instance without a known key; nothing asked`,
    );
    return;
  }
  await chooseKey(deps, record.instance.id);
}
