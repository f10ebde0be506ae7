// Every key this extension keeps in VS Code's global state, with the shape its value must have.
// Global state is a file on disk: another program, a hand edit or an older version of this
// extension may have written anything there, so every read goes through these schemas
// (core/storedState.ts) and a value that does not fit reads as the key's default.
import * as z from 'zod/mini';
import { INSTANCE_TYPES, SECTORS } from '../api/enums';

const idMap = <T extends z.core.SomeType>(value: T) => z.record(z.string(), value);
/** The cost guard's records: an object here, and each field salvaged on its own by src/cost. */
const costRecord = z.record(z.string(), z.unknown());

const pendingCreate = z.object({
  idempotencyKey: z.string(),
  input: z.object({ instanceType: z.enum(INSTANCE_TYPES), sshKey: z.string(), sector: z.optional(z.enum(SECTORS)) }),
  privateKeyPath: z.optional(z.string()),
  name: z.optional(z.string()),
  leaseHours: z.optional(z.number()),
  startedAt: z.number(),
});

export const STORED_KEYS = {
  /** Instance id → the private key that opens it. */
  'fal.instanceKeys': { schema: idMap(z.string()), fallback: {} },
  /** Account → instance id → the user's name for it. */
  'fal.instanceNames': { schema: idMap(idMap(z.string())), fallback: {} },
  /** Idempotency key → a create that was sent but not yet confirmed. */
  'fal.pendingCreates': { schema: idMap(pendingCreate), fallback: {} },
  /** Instance id → when this VS Code first listed it (epoch ms). */
  'fal.instances.firstSeen': { schema: idMap(z.number()), fallback: {} },
  'fal.create.lastInstanceType': { schema: z.optional(z.string()), fallback: undefined },
  'fal.instances.mineOnly': { schema: z.boolean(), fallback: false },
  'fal.milestone.connected': { schema: z.boolean(), fallback: false },
  'fal.milestone.deleted': { schema: z.boolean(), fallback: false },
  'fal.spendLedger': { schema: costRecord, fallback: {} },
  'fal.ownership': { schema: costRecord, fallback: {} },
  'fal.costGuard': { schema: costRecord, fallback: {} },
  /** Instance id → the workspace folder (uri) it was created from: setup runs there. */
  'fal.setup.origins': { schema: idMap(z.string()), fallback: {} },
  /** sha256 of every setup script content the user approved, most recent last. */
  'fal.setup.approved': { schema: z.array(z.string()), fallback: [] },
  /** Workspace folder (uri) → the command Run on H100 ran last there. */
  'fal.jobs.lastCommand': { schema: idMap(z.string().check(z.maxLength(65_536))), fallback: {} },
  /** `<instance id>/<job id>` → what a job started here asked for when it ends (results, delete); oldest first. */
  'fal.jobs.started': {
    schema: idMap(
      z.object({
        name: z.string(),
        results: z.optional(z.array(z.string())),
        deleteWhenDone: z.enum(['never', 'onSuccess', 'always']),
      }),
    ),
    fallback: {},
  },
  /** `<instance id>/<job id>` → where its log terminal stopped (the run and the byte), so a reload continues there. */
  'fal.jobs.resume': { schema: idMap(z.object({ runId: z.string(), offset: z.number() })), fallback: {} },
  /** Instance id → when its lease ends (epoch ms); each entry salvaged on its own by src/cost/leaseBook.ts. */
  'fal.leases': { schema: costRecord, fallback: {} },
} as const;

export type StoredKey = keyof typeof STORED_KEYS;
export type StoredValue<K extends StoredKey> = z.infer<(typeof STORED_KEYS)[K]['schema']>;
