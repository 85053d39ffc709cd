import { describe, expect, it } from 'vitest';
import { pageHint, pointerKind } from './pageHint';

describe('the page hint', () => {
  it('speaks of fingers on a touch-only device and of keys where there is a mouse', () => {
    const phone = pointerKind((q) => q === '(pointer: coarse)');
    const laptopWithTouch = pointerKind((q) => q === '(pointer: coarse)' || q === '(any-pointer: fine)');
    const desktop = pointerKind((q) => q === '(pointer: fine)' || q === '(any-pointer: fine)');
    expect([phone, laptopWithTouch, desktop]).toEqual(['touch', 'mouse', 'mouse']);
    expect(pageHint('touch')).not.toMatch(/WASD|click|wheel/);
    expect(pageHint('mouse')).toMatch(/WASD/);
  });
});
