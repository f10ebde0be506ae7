// Cost estimates. fal does not publish Compute prices in machine-readable form, and the API
// carries no creation time, so every number here is an estimate: hourly rate (a setting) times
// the time since this extension first saw the instance.

/** Default hourly rates in USD: fal's public "H100 from $1.89/GPU-hour", times the GPU count. */
export const DEFAULT_HOURLY_USD: Readonly<Record<string, number>> = {
  gpu_1x_h100_sxm5: 1.89,
  gpu_8x_h100_sxm5: 15.12,
};

export function hourlyRate(instanceType: string, rates: Readonly<Record<string, number>>): number | undefined {
  const rate = Object.hasOwn(rates, instanceType) ? rates[instanceType] : DEFAULT_HOURLY_USD[instanceType];
  return typeof rate === 'number' && Number.isFinite(rate) && rate >= 0 ? rate : undefined;
}

export function estimatedCostSince(firstSeenMs: number, nowMs: number, rate: number): number {
  return (Math.max(0, nowMs - firstSeenMs) / 3_600_000) * rate;
}

export function formatUsd(amount: number): string {
  return `$${amount.toFixed(2)}`;
}
