import { describe, expect, it } from 'vitest';
import { iconUvRect } from './panelKit';

describe('iconUvRect', () => {
  it('gives each icon and state its own cell of the icon texture, half a texel inside', () => {
    const cells = (['prev', 'next', 'one', 'two'] as const).flatMap((icon) => [iconUvRect(icon, true), iconUvRect(icon, false)]);
    expect(new Set(cells.map((c) => c.join())).size).toBe(8);
    for (const [u, v, du, dv] of cells) {
      expect(u).toBeGreaterThan(0);
      expect(v).toBeGreaterThan(0);
      expect(u + du).toBeLessThan(1);
      expect(v + dv).toBeLessThan(1);
    }
    // the texture is 4 cells of 128 px across and 2 down: enabled on top, disabled below
    expect(iconUvRect('next', true)).toEqual([128.5 / 512, 0.5 / 256, 127 / 512, 127 / 256]);
    expect(iconUvRect('next', false)).toEqual([128.5 / 512, 128.5 / 256, 127 / 512, 127 / 256]);
  });
});
