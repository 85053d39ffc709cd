import { describe, expect, it } from 'vitest';
import { AvatarLook } from '../protocol';
import { GLASSES, HAIR_STYLES, MAX_LOOK_CHARS, SHIRT_PALETTE, defaultLook, lookToString, parseLook, sameLook, stepLook } from './avatarLook';

const LOOK: AvatarLook = { body: '#123456', skin: '#eac09f', hair: 'bun', hairColour: '#3b2618', headwear: 'cap', glasses: 'round' };

describe('defaultLook', () => {
  it('wears the participant colour and is a valid look', () => {
    const look = defaultLook('#E6194B');
    expect(look.body).toBe('#e6194b');
    expect(AvatarLook.safeParse(look).success).toBe(true);
  });
  it('is the same for the same colour, and different colours can differ', () => {
    expect(defaultLook('#3cb44b')).toEqual(defaultLook('#3cb44b'));
    const looks = new Set(['#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4'].map((c) => JSON.stringify(defaultLook(c))));
    expect(looks.size).toBe(5);
  });
  it('survives a colour that is not one', () => {
    expect(AvatarLook.safeParse(defaultLook('red')).success).toBe(true);
  });
});

describe('parseLook', () => {
  it('reads a stored look back', () => {
    expect(parseLook(lookToString(LOOK), '#ffffff')).toEqual(LOOK);
  });
  it.each([
    ['empty', ''],
    ['null', null],
    ['bad JSON', '{"body":'],
    ['unknown hair', JSON.stringify({ ...LOOK, hair: 'mohawk' })],
    ['extra field', JSON.stringify({ ...LOOK, script: 'x' })],
    ['bad colour', JSON.stringify({ ...LOOK, skin: 'url(x)' })],
    ['an array', '[1,2]'],
    ['over-long', JSON.stringify({ ...LOOK, pad: 'x'.repeat(MAX_LOOK_CHARS) })],
  ])('falls back to the default on %s', (_what, raw) => {
    expect(parseLook(raw, '#4363d8')).toEqual(defaultLook('#4363d8'));
  });
});

describe('stepLook', () => {
  it('walks every hair style and wraps round', () => {
    let look: AvatarLook = { ...LOOK, hair: 'none' };
    const seen = [look.hair];
    for (let i = 1; i < HAIR_STYLES.length; i++) seen.push((look = stepLook(look, 'hair')).hair);
    expect(seen).toEqual([...HAIR_STYLES]);
    expect(stepLook(look, 'hair').hair).toBe(HAIR_STYLES[0]);
  });
  it('changes only the part stepped', () => {
    const next = stepLook(LOOK, 'glasses');
    expect(next.glasses).toBe(GLASSES[(GLASSES.indexOf('round') + 1) % GLASSES.length]);
    expect({ ...next, glasses: LOOK.glasses }).toEqual(LOOK);
  });
  it('moves a colour not in the palette onto the palette', () => {
    expect(stepLook(LOOK, 'body').body).toBe(SHIRT_PALETTE[0]);
  });
  it('always gives a valid look', () => {
    for (const step of ['hair', 'hairColour', 'headwear', 'glasses', 'body', 'skin'] as const) expect(AvatarLook.safeParse(stepLook(LOOK, step)).success).toBe(true);
  });
});

describe('sameLook', () => {
  it('compares every part', () => {
    expect(sameLook(LOOK, { ...LOOK })).toBe(true);
    expect(sameLook(LOOK, { ...LOOK, glasses: 'none' })).toBe(false);
  });
});
