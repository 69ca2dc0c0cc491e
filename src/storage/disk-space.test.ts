import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { watchDiskSpace } from './disk-space.js';

const MiB = 1024 * 1024;

describe('watchDiskSpace', () => {
  it('is full below the bound, and not above it', () => {
    let free = 0.5 * MiB;
    const disk = watchDiskSpace({ dir: '/data', minFreeBytes: MiB, freeBytes: () => free, intervalMs: 60_000 });
    try {
      assert.match(disk.fullReason() ?? '', /0\.5 MiB free in \/data, below 1\.0 MiB/);
      // A report of another error is not a full disk and makes no new look.
      free = 1.5 * MiB;
      disk.reportFull(new Error('unrelated'));
      assert.match(disk.fullReason() ?? '', /below 1\.0 MiB/);
    } finally {
      disk.stop();
    }
  });

  it('after a failed write, waits for twice the bound (at least 2 MiB), then resumes', async () => {
    let free = 1.5 * MiB;
    const disk = watchDiskSpace({ dir: '/data', minFreeBytes: MiB, freeBytes: () => free, intervalMs: 5 });
    try {
      assert.equal(disk.fullReason(), undefined);
      disk.reportFull(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }));
      assert.match(disk.fullReason() ?? '', /a write failed for lack of space in \/data; 1\.5 MiB free now, waiting for 2\.0 MiB/);
      // What a small disk had left after its backlog settled (the image of the disk-full test).
      free = 2.5 * MiB;
      const deadline = Date.now() + 5_000;
      while (disk.fullReason() !== undefined && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      assert.equal(disk.fullReason(), undefined);
    } finally {
      disk.stop();
    }
  });
});
