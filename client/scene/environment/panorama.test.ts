import { describe, expect, it } from 'vitest';
import { RGBE_ReadHeader, RGBE_ReadPixels } from '@babylonjs/core/Misc/HighDynamicRange/hdr';
import { directionOf, encodeHdr, hdrDataUrl, radianceAt, renderPanorama, toRgbe, type PanoramaSpec } from './panorama';

const SKY: PanoramaSpec = {
  zenith: [0.4, 0.6, 1.2],
  horizon: [1, 1, 1],
  ground: [0.2, 0.18, 0.15],
  sun: { towards: [0.5, 0.8, 0.3], radiance: [50, 48, 44], radius: 0.05 },
};

describe('environment panorama', () => {
  it('keeps RGBE within a byte of the value it stores', () => {
    for (const v of [0.001, 0.5, 1, 1.7, 64, 1000]) {
      const [r, , , e] = toRgbe(v, v / 2, 0);
      const back = (r + 0.5) * Math.pow(2, e - 136);
      expect(Math.abs(back - v) / v).toBeLessThan(0.01);
    }
    expect(toRgbe(0, 0, 0)).toEqual([0, 0, 0, 0]);
  });

  it('is bright overhead, dark below and blazing at the sun', () => {
    const up = radianceAt(SKY, [0, 1, 0]);
    const down = radianceAt(SKY, [0, -1, 0]);
    const len = Math.hypot(0.5, 0.8, 0.3);
    const sun = radianceAt(SKY, [0.5 / len, 0.8 / len, 0.3 / len]);
    expect(up[2]).toBeGreaterThan(down[2]);
    expect(sun[0]).toBeGreaterThan(40);
  });

  it('shows windows only in their azimuth and elevation band', () => {
    const spec: PanoramaSpec = { ...SKY, sun: undefined, windows: { azimuth: Math.PI, halfWidth: 0.6, low: 0, high: 0.7, radiance: [9, 9, 9] } };
    expect(radianceAt(spec, [-0.9, 0.3, 0])[0]).toBe(9);
    expect(radianceAt(spec, [0.9, 0.3, 0])[0]).not.toBe(9);
    expect(radianceAt(spec, [-0.2, 0.97, 0])[0]).not.toBe(9);
  });

  it('maps the top row up and the bottom row down', () => {
    expect(directionOf(0.5, 0)[1]).toBeCloseTo(1);
    expect(directionOf(0.5, 1)[1]).toBeCloseTo(-1);
  });

  it('writes an .hdr file that Babylon reads back to the same radiance', () => {
    const width = 200; // over 128, so each channel needs two literal runs
    const height = 20;
    const rgb = renderPanorama(SKY, width, height);
    const bytes = encodeHdr(rgb, width, height);
    const info = RGBE_ReadHeader(bytes);
    expect([info.width, info.height]).toEqual([width, height]);
    const back = RGBE_ReadPixels(bytes, info);
    expect(back.length).toBe(rgb.length);
    for (let i = 0; i < rgb.length; i += 97) expect(Math.abs(back[i]! - rgb[i]!)).toBeLessThanOrEqual(rgb[i]! * 0.01 + 1e-3);
    expect(hdrDataUrl(bytes).startsWith('data:application/octet-stream;base64,')).toBe(true);
  });

  it('refuses a panorama the reader could not take', () => {
    expect(() => encodeHdr(new Float32Array(12), 4, 1)).toThrow(/cannot be stored/);
  });
});
