import { describe, expect, it } from 'vitest';
import { HoverSet, TOUCH, TouchLatch } from './pointing';

describe('hovering', () => {
  it('lights a control when the first pointer comes over it and puts it out when the last one leaves', () => {
    const hovers = new HoverSet<string>();
    expect(hovers.point('mouse', 'add')).toEqual({ entered: ['add'], left: [] });
    expect(hovers.point('mouse', 'add')).toEqual({ entered: [], left: [] });
    // the right controller's ray comes over the same button: it is lit already
    expect(hovers.point('xr:right', 'add')).toEqual({ entered: [], left: [] });
    expect(hovers.point('mouse', 'save')).toEqual({ entered: ['save'], left: [] });
    expect(hovers.isHovered('add')).toBe(true);
    expect(hovers.point('xr:right', null)).toEqual({ entered: [], left: ['add'] });
    expect(hovers.isHovered('add')).toBe(false);
  });

  it('forgets every pointer of a kind at once, putting out only what nothing else points at', () => {
    const hovers = new HoverSet<string>();
    hovers.point('xr:left', 'add');
    hovers.point('xr:right', 'save');
    hovers.point('mouse', 'save');
    expect(hovers.forget('xr:')).toEqual(['add']);
    expect(hovers.isHovered('save')).toBe(true);
  });
});

describe('touching', () => {
  it('presses once when a fingertip comes onto a control, and again only after it has moved away', () => {
    const latch = new TouchLatch<string>();
    expect(latch.update('left', 'add', 0.05)).toBeNull();
    expect(latch.update('left', 'add', TOUCH.press - 0.001)).toBe('add');
    expect(latch.isTouching('left')).toBe(true);
    // resting and shaking a little on the button presses nothing more
    expect(latch.update('left', 'add', 0)).toBeNull();
    expect(latch.update('left', 'add', TOUCH.release - 0.001)).toBeNull();
    expect(latch.update('left', 'add', TOUCH.release + 0.001)).toBeNull();
    expect(latch.isTouching('left')).toBe(false);
    expect(latch.update('left', 'add', 0.01)).toBe('add');
  });

  it('does not press the control that replaced the one a finger rests on', () => {
    const latch = new TouchLatch<string>();
    expect(latch.update('right', 'add (old)', 0)).toBe('add (old)');
    expect(latch.update('right', 'add (rebuilt)', 0.005)).toBeNull();
    expect(latch.update('right', null, Infinity)).toBeNull();
    expect(latch.update('right', 'add (rebuilt)', 0.005)).toBe('add (rebuilt)');
  });

  it('keeps each finger apart', () => {
    const latch = new TouchLatch<string>();
    expect(latch.update('left', 'add', 0)).toBe('add');
    expect(latch.update('right', 'add', 0)).toBe('add');
    latch.forget('left');
    expect(latch.isTouching('left')).toBe(false);
    expect(latch.isTouching('right')).toBe(true);
  });
});
