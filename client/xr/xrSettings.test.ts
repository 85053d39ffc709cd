import { describe, expect, it } from 'vitest';
import { describeXrModes } from './xrModes';
import { DEFAULT_XR_SETTINGS, parseXrSettings } from './xrSettings';

describe('VR comfort settings', () => {
  it('keeps what was stored when it is understood', () => {
    expect(parseXrSettings('{"locomotion":"smooth","snapDegrees":45,"vignette":false}')).toEqual({ locomotion: 'smooth', snapDegrees: 45, vignette: false });
    expect(parseXrSettings('{"locomotion":"teleport","snapDegrees":0}')).toEqual({ locomotion: 'teleport', snapDegrees: 0, vignette: true });
  });

  it('falls back to the defaults for anything missing, damaged or odd', () => {
    expect(parseXrSettings(null)).toEqual(DEFAULT_XR_SETTINGS);
    expect(parseXrSettings('not json')).toEqual(DEFAULT_XR_SETTINGS);
    expect(parseXrSettings('{"locomotion":"fly","snapDegrees":33}')).toEqual(DEFAULT_XR_SETTINGS);
    expect(parseXrSettings('[1,2]')).toEqual(DEFAULT_XR_SETTINGS);
    expect(parseXrSettings('{"vignette":"no"}').vignette, 'the comfort ring stays on unless turned off').toBe(true);
  });
});

describe('what the lobby says about immersive modes', () => {
  it('names the modes on offer, or says why there are none', () => {
    expect(describeXrModes({ vr: true, ar: true }, true)).toBe('This browser offers VR and AR.');
    expect(describeXrModes({ vr: true, ar: false }, true)).toBe('This browser offers VR.');
    expect(describeXrModes({ vr: false, ar: true }, true)).toBe('This browser offers AR.');
    expect(describeXrModes({ vr: false, ar: false }, false)).toMatch(/^Desktop only here: VR and AR need a secure \(HTTPS\) address/);
    expect(describeXrModes({ vr: false, ar: false }, true)).toMatch(/^Desktop only: this browser offers neither VR nor AR/);
  });
});
