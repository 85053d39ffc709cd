/**
 * A detected real-world plane as triangles: the browser gives each plane's outline as a convex
 * polygon, so a fan from its first corner covers it. Pure, so it can be tested without an engine.
 */
export interface PlaneGeometry {
  positions: number[];
  indices: number[];
}

/** Triangles for a convex outline (at least three points); null for anything smaller. */
export function planeGeometry(outline: ReadonlyArray<readonly [number, number, number]>): PlaneGeometry | null {
  if (outline.length < 3) return null;
  const positions = outline.flatMap((p) => [p[0], p[1], p[2]]);
  const indices: number[] = [];
  for (let i = 1; i < outline.length - 1; i++) indices.push(0, i, i + 1);
  return { positions, indices };
}
