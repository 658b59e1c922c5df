import type { Machine } from '../report.js';

/** A fixed machine for tests of the bench's row and report builders. */
export const TEST_MACHINE: Machine = {
  cpus: 2,
  model: 'Test CPU',
  memGiB: 4,
  node: 'v20.0.0',
  platform: 'linux-x64',
  date: '2025-01-01T00:00:00.000Z',
};
