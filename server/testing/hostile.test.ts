import { describe, expect, it } from 'vitest';
import { BAD_FRAMES, REFUSALS, hostileSteps } from './hostile';

describe('hostile sequences', () => {
  it('are the same for the same seed, so a failing one replays', () => {
    expect([...hostileSteps(7, 300)]).toEqual([...hostileSteps(7, 300)]);
    expect([...hostileSteps(7, 50)]).not.toEqual([...hostileSteps(8, 50)]);
  });

  it('cover every kind of step, every refusal and every bad frame in a run of the length the test uses', () => {
    const steps = [...hostileSteps(1, 200)];
    expect(new Set(steps.map((s) => s.kind)).size).toBe(8);
    expect(new Set(steps.flatMap((s) => (s.kind === 'refusedJoin' ? [s.how] : [])))).toEqual(new Set(REFUSALS));
    expect(new Set(steps.flatMap((s) => (s.kind === 'badFrame' ? [s.frame] : [])))).toEqual(new Set(BAD_FRAMES));
  });
});
