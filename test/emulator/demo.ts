// A small, realistic inventory for `--seed demo`, screenshots and manual testing.
import type { SeedInstance } from './types';

/**
 * One ready 8x machine in sector_1, one ready 1x machine, and one 1x machine that is
 * provisioning (it follows the timeline, so it becomes ready after provisioningMs).
 * Ids are fixed so demos and docs can refer to them.
 */
export function demoInstances(): SeedInstance[] {
  return [
    {
      id: 'inst_demo8xtrain',
      instance_type: 'gpu_8x_h100_sxm5',
      region: 'us-east',
      sector: 'sector_1',
      status: 'ready',
      ip: '203.0.113.42',
      creator_user_nickname: 'developer',
    },
    {
      id: 'inst_demo1xdev',
      instance_type: 'gpu_1x_h100_sxm5',
      region: 'us-west',
      status: 'ready',
      ip: '203.0.113.43',
      creator_user_nickname: 'developer',
    },
    {
      id: 'inst_demo1xnew',
      instance_type: 'gpu_1x_h100_sxm5',
      region: 'us-west',
      creator_user_nickname: 'developer',
    },
  ];
}
