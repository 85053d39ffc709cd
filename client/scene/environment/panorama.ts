/**
 * A world's light as a small equirectangular HDR panorama drawn from a few numbers (sky, ground,
 * windows, ceiling lights, sun), encoded as a Radiance .hdr so Babylon's HDR cube loader can turn it
 * into a prefiltered environment. Pure: no canvas, no GPU, nothing fetched.
 */

export type Rgb = readonly [number, number, number];

export interface PanoramaSpec {
  /** Radiance straight up, and at the horizon; blended by elevation above the horizon. */
  zenith: Rgb;
  horizon: Rgb;
  /** Radiance below the horizon (floor or ground). */
  ground: Rgb;
  /** A sun disc: direction towards it (normalised here), its radiance and angular radius in radians. */
  sun?: { towards: readonly [number, number, number]; radiance: Rgb; radius: number };
  /** Bright openings in the walls: azimuth centre and half-width (radians), elevation band (radians). */
  windows?: { azimuth: number; halfWidth: number; low: number; high: number; radiance: Rgb };
  /** Ceiling light panels: a grid of bright patches above this elevation (radians). */
  ceilingLights?: { above: number; radiance: Rgb; count: number };
}

/** Direction of a panorama pixel centre, using the mapping of Babylon's panorama-to-cube tools. */
export function directionOf(u: number, v: number): [number, number, number] {
  const theta = u * 2 * Math.PI - Math.PI;
  const phi = v * Math.PI;
  return [Math.sin(phi) * Math.cos(theta), Math.cos(phi), Math.sin(phi) * Math.sin(theta)];
}

const mix = (a: Rgb, b: Rgb, t: number): [number, number, number] => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];

/** Radiance seen looking along a unit direction. */
export function radianceAt(spec: PanoramaSpec, d: readonly [number, number, number]): [number, number, number] {
  const elevation = Math.asin(Math.max(-1, Math.min(1, d[1])));
  let out: [number, number, number];
  if (elevation >= 0) out = mix(spec.horizon, spec.zenith, Math.pow(elevation / (Math.PI / 2), 0.6));
  else out = mix(spec.horizon, spec.ground, Math.min(1, -elevation / 0.15));
  const azimuth = Math.atan2(d[2], d[0]);
  const w = spec.windows;
  if (w && elevation > w.low && elevation < w.high) {
    const off = Math.abs(Math.atan2(Math.sin(azimuth - w.azimuth), Math.cos(azimuth - w.azimuth)));
    if (off < w.halfWidth) out = [...w.radiance];
  }
  const c = spec.ceilingLights;
  if (c && elevation > c.above) {
    // a ring of panels around the zenith, seen as bright patches every 2π/count
    const phase = (((azimuth / (2 * Math.PI)) * c.count) % 1 + 1) % 1;
    if (phase > 0.3 && phase < 0.7) out = [...c.radiance];
  }
  const s = spec.sun;
  if (s) {
    const len = Math.hypot(...s.towards) || 1;
    const cos = (d[0] * s.towards[0] + d[1] * s.towards[1] + d[2] * s.towards[2]) / len;
    if (cos > Math.cos(s.radius)) out = [out[0] + s.radiance[0], out[1] + s.radiance[1], out[2] + s.radiance[2]];
  }
  return out;
}

/** Linear RGB floats, row by row from the top, `width * height * 3` long. */
export function renderPanorama(spec: PanoramaSpec, width: number, height: number): Float32Array {
  const out = new Float32Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const rgb = radianceAt(spec, directionOf((x + 0.5) / width, (y + 0.5) / height));
      out.set(rgb, (y * width + x) * 3);
    }
  }
  return out;
}

/** One pixel as RGBE (shared exponent). */
export function toRgbe(r: number, g: number, b: number): [number, number, number, number] {
  const v = Math.max(r, g, b);
  if (!(v > 1e-32)) return [0, 0, 0, 0];
  // v = m·2^e with m in [0.5, 1), as C's frexp
  const e = Math.floor(Math.log2(v)) + 1;
  const scale = 256 / Math.pow(2, e);
  return [Math.min(255, Math.floor(r * scale)), Math.min(255, Math.floor(g * scale)), Math.min(255, Math.floor(b * scale)), e + 128];
}

/**
 * A Radiance .hdr file of the panorama, with the run-length scanline layout Babylon's reader
 * requires (each channel stored as literal runs of at most 128 bytes).
 */
export function encodeHdr(rgb: Float32Array, width: number, height: number): Uint8Array {
  if (width < 8 || width > 0x7fff || rgb.length !== width * height * 3) throw new Error(`a panorama of ${width}×${height} cannot be stored as RLE RGBE`);
  const header = new TextEncoder().encode(`#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n\n-Y ${height} +X ${width}\n`);
  const runsPerChannel = Math.ceil(width / 128);
  const out = new Uint8Array(header.length + height * (4 + 4 * (width + runsPerChannel)));
  out.set(header);
  let at = header.length;
  const channel = new Uint8Array(width * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const p = toRgbe(rgb[i]!, rgb[i + 1]!, rgb[i + 2]!);
      for (let c = 0; c < 4; c++) channel[c * width + x] = p[c]!;
    }
    out.set([2, 2, width >> 8, width & 0xff], at);
    at += 4;
    for (let c = 0; c < 4; c++) {
      for (let x = 0; x < width; x += 128) {
        const n = Math.min(128, width - x);
        out[at++] = n;
        out.set(channel.subarray(c * width + x, c * width + x + n), at);
        at += n;
      }
    }
  }
  return out.subarray(0, at);
}

/** The file as a data URL, so the texture loader reads it without any request. */
export function hdrDataUrl(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return `data:application/octet-stream;base64,${btoa(binary)}`;
}
