import { describe, expect, it } from 'vitest';
import { planeGeometry } from './planeMesh';

describe('detected planes as triangles', () => {
  it('fans a convex outline from its first corner, covering it once', () => {
    const square = [
      [0, 0, 0],
      [1, 0, 0],
      [1, 0, 1],
      [0, 0, 1],
    ] as const;
    const g = planeGeometry(square)!;
    expect(g.positions).toEqual([0, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0, 1]);
    expect(g.indices).toEqual([0, 1, 2, 0, 2, 3]);
    // the two triangles' areas add up to the square's
    const area = (a: number, b: number, c: number) => {
      const p = (i: number) => [g.positions[i * 3]!, g.positions[i * 3 + 2]!] as const;
      const [A, B, C] = [p(a), p(b), p(c)];
      return Math.abs((B[0] - A[0]) * (C[1] - A[1]) - (C[0] - A[0]) * (B[1] - A[1])) / 2;
    };
    expect(area(0, 1, 2) + area(0, 2, 3)).toBeCloseTo(1, 9);
  });

  it('has nothing to draw for fewer than three points', () => {
    expect(planeGeometry([])).toBeNull();
    expect(
      planeGeometry([
        [0, 0, 0],
        [1, 0, 0],
      ]),
    ).toBeNull();
  });
});
