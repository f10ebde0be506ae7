// GPU view, pure and transport part (no vscode import): what the VS Code side calls.
export { GpuSampler, type GpuSamplerOptions } from './sampler';
export { figure, gpuRowFigures, gpuSummary, meanUtilization, MISSING } from './summary';
export { describeState, GPU_STATE_WORDS, wordsOf } from './stateWords';
export { APPS_QUERY, classifyFailure, GPU_QUERY, parseComputeApps, parseGpuQuery } from './nvidiaSmi';
export { SampleCommand } from './sampleCommand';
export type { ExpectedGpus, GpuProcess, GpuReading, GpuState, GpuTarget, UtilizationPoint } from './types';
