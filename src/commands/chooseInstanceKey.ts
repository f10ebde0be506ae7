// "fal: Choose Private Key…": which private key opens an instance, for the GPU view (Connect reads
// the same record). Asked with the connect flow's own picker; offered for ready instances whose
// key is not known yet (the tooltip's "Choose it…" link passes the instance).
import { statusLook } from '../core/status';
import { chooseKey } from '../remote/hostPreparation';
import type { RemoteDeps } from './connect';
import { pickInstance } from './instancePicker';

export async function chooseInstanceKey(deps: RemoteDeps, arg: unknown): Promise<void> {
  const record = await pickInstance(deps.controller.model, arg, 'Choose the private key of which instance?', (r) => statusLook(r.instance.status).kind === 'ready' && !deps.keyStore.get(r.instance.id));
  if (record) await chooseKey(deps, record.instance.id);
}
