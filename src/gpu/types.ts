// What the GPU sampler knows about one instance. Plain data, no vscode: the tree, tooltip, status
// bar and "Show GPU Usage…" report render these.
import type { SshTarget } from '../connections/types';

/** One row of `nvidia-smi --query-gpu=…`. A field nvidia-smi could not give (`[N/A]`, `[Not Supported]`, garbage) is absent. */
export interface GpuReading {
  readonly index: number;
  readonly name: string;
  readonly utilizationPercent?: number;
  readonly memoryUsedMiB?: number;
  readonly memoryTotalMiB?: number;
  readonly temperatureC?: number;
  readonly powerDrawW?: number;
  readonly powerLimitW?: number;
}

/** One row of `nvidia-smi --query-compute-apps=…`. */
export interface GpuProcess {
  readonly gpuUuid: string;
  readonly pid?: number;
  readonly name: string;
  readonly usedMemoryMiB?: number;
}

/** An instance the sampler may look at: a ready instance, with the private key the extension knows for it (if any). */
export interface GpuTarget extends Omit<SshTarget, 'identityFile'> {
  /** Absolute path of the private key; undefined when no key is known (state `noKey`, nothing is tried). */
  readonly identityFile?: string;
  /** What the instance type promises; undefined for a type this version does not know (no count check then). */
  readonly expected?: ExpectedGpus;
}

/** The GPUs an instance type has: a sample listing fewer is not a sample of that machine's load. */
export interface ExpectedGpus {
  readonly gpus: number;
  /** The type's short label, e.g. "8x H100", for the words of a failed sample. */
  readonly label: string;
}

export type GpuState =
  /** The first connection to this instance is being made. */
  | { readonly kind: 'connecting' }
  /** No private key is known for this instance: nothing is attempted. */
  | { readonly kind: 'noKey' }
  /** Its host key is not in ~/.ssh/fal/known_hosts yet (connect once first): no connection is made. */
  | { readonly kind: 'hostKeyUnknown' }
  /** nvidia-smi is not on the PATH of the SSH user. `message` is the shell's own text. */
  | { readonly kind: 'noNvidiaSmi'; readonly message: string }
  /** nvidia-smi ran but could not talk to the driver; `message` is nvidia-smi's own text. */
  | { readonly kind: 'driverFailed'; readonly message: string }
  /**
   * nvidia-smi failed for another reason (its own text), or printed something that is not its
   * output, or an answer that cannot be trusted (a line not read, an error in a field, a GPU missing).
   */
  | {
      readonly kind: 'sampleFailed';
      readonly message: string;
      /** When nvidia-smi answered but the answer could not be used: its output (bounded), for the report. */
      readonly raw?: string;
    }
  /** The SSH connection or command failed; `reason` says why in words a user can act on. */
  | { readonly kind: 'sshFailed'; readonly reason: string }
  | {
      readonly kind: 'ok';
      readonly gpus: readonly GpuReading[];
      readonly processes: readonly GpuProcess[];
      /** When the sample was taken (Timers.now()). */
      readonly at: number;
      /** The command's stdout as received (bounded), for the "Show GPU Usage…" report. */
      readonly raw: string;
    };

/** One point of the utilisation history: the mean over the GPUs that reported one, or undefined (e.g. MIG). */
export interface UtilizationPoint {
  readonly at: number;
  readonly percent: number | undefined;
}
