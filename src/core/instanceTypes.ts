// What each fal Compute machine type is, from fal's Compute introduction (hardware table).
// The API only sends the enum value; everything a person reads about a machine comes from here.
import * as l10n from '@vscode/l10n';

export interface MachineSpec {
  /** Short label used in the tree and pickers, e.g. "8x H100". */
  readonly label: string;
  /** The name fal's dashboard uses, e.g. "8xH100-SXM". */
  readonly dashboardName: string;
  readonly gpus: number;
  readonly vcpus: number;
  readonly ramGb: number;
  readonly vramGb: number;
  readonly diskTb: number;
  /** Only 8x machines can be placed in a sector (InfiniBand-linked placement group). */
  readonly supportsSector: boolean;
}

export const MACHINE_SPECS: Readonly<Record<string, MachineSpec>> = {
  gpu_1x_h100_sxm5: {
    label: '1x H100',
    dashboardName: '1xH100-SXM',
    gpus: 1,
    vcpus: 16,
    ramGb: 200,
    vramGb: 80,
    diskTb: 1,
    supportsSector: false,
  },
  gpu_8x_h100_sxm5: {
    label: '8x H100',
    dashboardName: '8xH100-SXM',
    gpus: 8,
    vcpus: 128,
    ramGb: 1600,
    vramGb: 640,
    diskTb: 8,
    supportsSector: true,
  },
};

export function machineSpec(instanceType: string): MachineSpec | undefined {
  return Object.hasOwn(MACHINE_SPECS, instanceType) ? MACHINE_SPECS[instanceType] : undefined;
}

/**
 * The GPUs a machine of this type has, with its label (for the words when a sample lists fewer);
 * undefined for a type this version does not know, so nothing is promised.
 */
export function expectedGpus(instanceType: string): { readonly gpus: number; readonly label: string } | undefined {
  const spec = machineSpec(instanceType);
  return spec ? { gpus: spec.gpus, label: spec.label } : undefined;
}

/** "8x H100" for known types; the raw API value for types fal adds later. */
export function machineLabel(instanceType: string): string {
  return machineSpec(instanceType)?.label ?? instanceType;
}

export function describeSpec(spec: MachineSpec): string {
  const gpu = spec.gpus === 1 ? l10n.t('1 GPU') : l10n.t`${spec.gpus} GPUs`;
  return l10n.t`${gpu} · ${spec.vcpus} vCPU · ${spec.ramGb.toLocaleString('en-US')} GB RAM · ${spec.vramGb} GB VRAM · ${spec.diskTb} TB SSD`;
}
