/** The data disk's free share, read from the real file system when the registry is read. */
import { mkdtempSync, rmSync } from 'node:fs';
import { statfs } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Metrics } from './Metrics';

const freeRatio = async (m: Metrics) => (await m.registry.getSingleMetric('dwc_data_disk_free_ratio')?.get())?.values.map((v) => v.value);

describe('disk gauge', () => {
  it("reports the data directory's free share as statfs sees it, and unknown (NaN) for a directory that is not there", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dwc-disk-'));
    try {
      const s = await statfs(dir);
      const [ratio] = (await freeRatio(new Metrics({ dataDir: dir }))) ?? [];
      expect(ratio).toBeGreaterThan(0);
      expect(ratio).toBeLessThanOrEqual(1);
      // the disk is shared with everything else on the machine: allow for what others wrote meanwhile
      expect(Math.abs(ratio! - s.bavail / s.blocks)).toBeLessThan(0.01);
      expect(await freeRatio(new Metrics({ dataDir: path.join(dir, 'missing') }))).toEqual([NaN]);
      expect(await freeRatio(new Metrics())).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
