// The real nvidia-smi outputs of test/fixtures/nvidia-smi (sources in its README.md).
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const FIXTURES = resolve(__dirname, '../../../../test/fixtures/nvidia-smi');

export function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}
