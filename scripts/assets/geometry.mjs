/**
 * Low-poly solids for the kit models, gathered into one vertex list so each model is a single draw.
 * Every part is coloured by pointing all its UVs at the centre of one palette cell, so the model
 * needs one material and one texture however many colours it has.
 *
 * Convex parts are built from their faces, each oriented away from a point inside the part, so no
 * helper has to get a winding order right by hand; round sides get smooth normals, flat faces flat.
 */

/** @typedef {[number, number, number]} V3 */

const sub = (a, b) => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const cross = (a, b) => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const dot = (a, b) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const normalize = (a) => {
  const l = Math.hypot(a[0], a[1], a[2]) || 1;
  return [a[0] / l, a[1] / l, a[2] / l];
};

/** Rotates a point about the x, y or z axis by an angle in radians (right-handed, as glTF). */
export function rotate(p, axis, angle) {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  const [x, y, z] = p;
  if (axis === 'x') return [x, y * c - z * s, y * s + z * c];
  if (axis === 'y') return [x * c + z * s, y, -x * s + z * c];
  return [x * c - y * s, x * s + y * c, z];
}

/** A growing triangle list: positions, normals, UVs and indices of one model. */
export class MeshBuilder {
  /** @param {(cell: string) => [number, number]} uvOf the UV at the centre of a palette cell */
  constructor(uvOf) {
    this.uvOf = uvOf;
    this.positions = [];
    this.normals = [];
    this.uvs = [];
    this.indices = [];
    /** Applied to every point and normal added, innermost last: see `withTransform`. */
    this.transforms = [];
  }

  get vertexCount() {
    return this.positions.length / 3;
  }

  get triangleCount() {
    return this.indices.length / 3;
  }

  /**
   * Adds what `draw` adds, rotated and then moved: `rotations` is a list of [axis, radians] applied
   * in order, then `offset` is added.
   */
  withTransform({ offset = [0, 0, 0], rotations = [] }, draw) {
    this.transforms.push({ offset, rotations });
    try {
      draw();
    } finally {
      this.transforms.pop();
    }
  }

  placePoint(p) {
    let q = p;
    for (let i = this.transforms.length - 1; i >= 0; i--) {
      const t = this.transforms[i];
      for (const [axis, angle] of t.rotations) q = rotate(q, axis, angle);
      q = [q[0] + t.offset[0], q[1] + t.offset[1], q[2] + t.offset[2]];
    }
    return q;
  }

  placeNormal(n) {
    let q = n;
    for (let i = this.transforms.length - 1; i >= 0; i--) {
      for (const [axis, angle] of this.transforms[i].rotations) q = rotate(q, axis, angle);
    }
    return q;
  }

  vertex(p, n, cell) {
    const q = this.placePoint(p);
    const m = normalize(this.placeNormal(n));
    this.positions.push(q[0], q[1], q[2]);
    this.normals.push(m[0], m[1], m[2]);
    this.uvs.push(...this.uvOf(cell));
    return this.vertexCount - 1;
  }

  /** A flat convex polygon, its normal turned away from `inside`; vertices in order around it. */
  face(points, inside, cell) {
    let n = normalize(cross(sub(points[1], points[0]), sub(points[2], points[0])));
    let pts = points;
    if (dot(n, sub(points[0], inside)) < 0) {
      n = [-n[0], -n[1], -n[2]];
      pts = [...points].reverse();
    }
    const ids = pts.map((p) => this.vertex(p, n, cell));
    for (let i = 1; i + 1 < ids.length; i++) this.indices.push(ids[0], ids[i], ids[i + 1]);
  }

  /** A box from `min` to `max` whose edges are cut at 45° by `chamfer` (0 for sharp edges). */
  box(min, max, cell, chamfer = 0) {
    const c = [(min[0] + max[0]) / 2, (min[1] + max[1]) / 2, (min[2] + max[2]) / 2];
    const h = [(max[0] - min[0]) / 2, (max[1] - min[1]) / 2, (max[2] - min[2]) / 2];
    const k = Math.min(chamfer, h[0] * 0.9, h[1] * 0.9, h[2] * 0.9);
    if (k <= 0) {
      this.hexahedron(boxCorners(min, max), cell);
      return;
    }
    // a point with the `full` axis at the box's face and the others pulled in by the chamfer
    const pt = (full, s) => [0, 1, 2].map((a) => c[a] + s[a] * (a === full ? h[a] : h[a] - k));
    const signs = [-1, 1];
    for (let a = 0; a < 3; a++) {
      const [b, d] = [(a + 1) % 3, (a + 2) % 3];
      for (const sa of signs) {
        // the face itself
        const quad = [[-1, -1], [1, -1], [1, 1], [-1, 1]].map(([sb, sd]) => pt(a, withSigns(a, sa, b, sb, d, sd)));
        this.face(quad, c, cell);
        // the bevel along the edge between this face and face b
        for (const sb of signs) {
          this.face(
            [pt(a, withSigns(a, sa, b, sb, d, -1)), pt(a, withSigns(a, sa, b, sb, d, 1)), pt(b, withSigns(a, sa, b, sb, d, 1)), pt(b, withSigns(a, sa, b, sb, d, -1))],
            c,
            cell,
          );
        }
      }
    }
    for (const sx of signs) for (const sy of signs) for (const sz of signs) {
      const s = [sx, sy, sz];
      this.face([pt(0, s), pt(1, s), pt(2, s)], c, cell);
    }
  }

  /** Any convex six-faced solid from its 8 corners, ordered as `boxCorners` orders them. */
  hexahedron(p, cell) {
    const inside = p.reduce((acc, q) => [acc[0] + q[0] / 8, acc[1] + q[1] / 8, acc[2] + q[2] / 8], [0, 0, 0]);
    for (const f of [[0, 1, 3, 2], [4, 5, 7, 6], [0, 1, 5, 4], [2, 3, 7, 6], [0, 2, 6, 4], [1, 3, 7, 5]]) {
      this.face(f.map((i) => p[i]), inside, cell);
    }
  }

  /**
   * A cylinder, or a cone or frustum when the radii differ, standing on y = `y0` around the y axis.
   * `segments` is a multiple of 4 so the outline touches ±radius on x and z (the bounding box is exact);
   * the end caps may take other cells than the side.
   */
  cylinder({ radiusBottom, radiusTop = radiusBottom, y0 = 0, height, segments = 12, cell, topCell = cell, bottomCell = cell, caps = true }) {
    const y1 = y0 + height;
    const ring = (r, y) => Array.from({ length: segments }, (_, i) => {
      const a = (i / segments) * Math.PI * 2;
      return [Math.cos(a) * r, y, Math.sin(a) * r];
    });
    const bottom = ring(radiusBottom, y0);
    const top = ring(radiusTop, y1);
    // smooth sides: the normal leans by the slope of the side
    const slope = (radiusBottom - radiusTop) / height;
    const first = this.vertexCount;
    for (let i = 0; i <= segments; i++) {
      const a = (i / segments) * Math.PI * 2;
      const n = [Math.cos(a), slope, Math.sin(a)];
      this.vertex(bottom[i % segments], n, cell);
      this.vertex(top[i % segments], n, cell);
    }
    for (let i = 0; i < segments; i++) {
      const b0 = first + i * 2;
      const t0 = b0 + 1;
      const b1 = b0 + 2;
      const t1 = b0 + 3;
      // counter-clockwise seen from outside
      this.indices.push(b0, t0, b1, b1, t0, t1);
    }
    if (caps) {
      const mid = [0, (y0 + y1) / 2, 0];
      if (radiusBottom > 0) this.face(bottom, mid, bottomCell);
      if (radiusTop > 0) this.face(top, mid, topCell);
    }
  }

  /**
   * A faceted ball (an icosahedron split `detail` times) with radii `r` on x, y and z around
   * `centre`; `jitter` pushes each vertex in or out by a repeatable amount so clusters of leaves
   * do not look machined.
   */
  blob(centre, r, cell, { detail = 1, jitter = 0, seed = 1 } = {}) {
    const rand = random(seed);
    const { vertices, triangles } = icosphere(detail);
    const scaled = vertices.map((v) => {
      const f = 1 + (rand() * 2 - 1) * jitter;
      return [centre[0] + v[0] * r[0] * f, centre[1] + v[1] * r[1] * f, centre[2] + v[2] * r[2] * f];
    });
    for (const [a, b, c] of triangles) this.face([scaled[a], scaled[b], scaled[c]], centre, cell);
  }
}

/** The 8 corners of an axis-aligned box, x varying fastest, then y, then z. */
export function boxCorners(min, max) {
  const out = [];
  for (const z of [min[2], max[2]]) for (const y of [min[1], max[1]]) for (const x of [min[0], max[0]]) out.push([x, y, z]);
  return out;
}

function withSigns(a, sa, b, sb, d, sd) {
  const s = [0, 0, 0];
  s[a] = sa;
  s[b] = sb;
  s[d] = sd;
  return s;
}

/** A small repeatable pseudo-random source (a linear congruential generator), values in [0, 1). */
export function random(seed) {
  let state = (seed * 2654435761) >>> 0 || 1;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

/** Unit icosphere: an icosahedron whose triangles are split in four `detail` times. */
function icosphere(detail) {
  const t = (1 + Math.sqrt(5)) / 2;
  let vertices = [[-1, t, 0], [1, t, 0], [-1, -t, 0], [1, -t, 0], [0, -1, t], [0, 1, t], [0, -1, -t], [0, 1, -t], [t, 0, -1], [t, 0, 1], [-t, 0, -1], [-t, 0, 1]].map(normalize);
  let triangles = [
    [0, 11, 5], [0, 5, 1], [0, 1, 7], [0, 7, 10], [0, 10, 11], [1, 5, 9], [5, 11, 4], [11, 10, 2], [10, 7, 6], [7, 1, 8],
    [3, 9, 4], [3, 4, 2], [3, 2, 6], [3, 6, 8], [3, 8, 9], [4, 9, 5], [2, 4, 11], [6, 2, 10], [8, 6, 7], [9, 8, 1],
  ];
  for (let i = 0; i < detail; i++) {
    const mids = new Map();
    const mid = (a, b) => {
      const key = a < b ? `${a},${b}` : `${b},${a}`;
      let m = mids.get(key);
      if (m === undefined) {
        const p = vertices[a];
        const q = vertices[b];
        vertices.push(normalize([(p[0] + q[0]) / 2, (p[1] + q[1]) / 2, (p[2] + q[2]) / 2]));
        m = vertices.length - 1;
        mids.set(key, m);
      }
      return m;
    };
    triangles = triangles.flatMap(([a, b, c]) => {
      const ab = mid(a, b);
      const bc = mid(b, c);
      const ca = mid(c, a);
      return [[a, ab, ca], [b, bc, ab], [c, ca, bc], [ab, bc, ca]];
    });
    vertices = [...vertices];
  }
  return { vertices, triangles };
}
