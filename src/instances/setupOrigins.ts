// Which workspace folder each instance was created from: setup on ready runs only for instances
// created from a folder open in this window (another window's repository is not ours to run).
// Bounded like the ownership record: the oldest is forgotten first.
import type { StoredState } from '../core/storedState';

const MAX_ORIGINS = 500;

export class SetupOrigins {
  constructor(
    private readonly stored: StoredState,
    private readonly onSaveError: (error: unknown) => void,
  ) {}

  get(id: string): string | undefined {
    const origins = this.stored.get('fal.setup.origins');
    return Object.hasOwn(origins, id) ? origins[id] : undefined;
  }

  record(id: string, folderUri: string): void {
    const entries = Object.entries(this.stored.get('fal.setup.origins')).filter(([k]) => k !== id);
    const kept = Object.fromEntries([...entries.slice(-(MAX_ORIGINS - 1)), [id, folderUri]]);
    this.stored.update('fal.setup.origins', kept).then(undefined, this.onSaveError);
  }
}
