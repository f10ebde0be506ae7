// The fal API emulator: a local, spec-faithful stand-in for fal's Compute Platform API.
export { FalEmulator, EMULATOR_DEFAULTS } from './emulator';
export { demoInstances } from './demo';
export { BILLING_DEFAULTS, type BillingState } from './billing';
export type { Fault, Route } from './faults';
export {
  DEFAULT_EMULATOR_KEY,
  INSTANCE_TYPES,
  type BillingOptions,
  SECTORS,
  type ComputeInstance,
  type EmulatorKey,
  type EmulatorOptions,
  type InstancePatch,
  type InstanceStatus,
  type InstanceType,
  type Region,
  type RequestRecord,
  type Sector,
  type SeedInstance,
} from './types';
