import type { ReplayDestination } from '../destination.js';

/** `--dry-run`: transforms and counts, sends nothing, keeps no checkpoints. */
export function createDryRunDestination(): ReplayDestination {
  return {
    description: 'dry run (nothing sent)',
    checkpointKey: undefined,
    delivers: false,
    send: async () => ({ status: 'accepted', rejected: [] }),
    close: async () => {},
  };
}
