// What this extension registers providers for at activation — named once here, so the wiring can
// register them before the features that answer them are loaded (src/features.ts, on first need) —
// and the one command a row's tooltip links to.
import type { CommandId } from '../core/commandIds';

/** The GPU usage report documents (`fal: Show GPU Usage…`). */
export const GPU_REPORT_SCHEME = 'fal-gpu';
/** The spend report document (`fal: Show Spend`). */
export const SPEND_REPORT_SCHEME = 'fal-spend';
/** The `fal` task of tasks.json (Run on H100). */
export const FAL_TASK_TYPE = 'fal';
/** Choose Private Key…, linked from a row's GPU line when no key is known. */
export const CHOOSE_KEY_COMMAND: CommandId = 'fal.gpu.chooseKey';
