/**
 * Where the server serves the WebXR controller and hand models (from @webxr-input-profiles/assets)
 * and which profiles it serves: the headsets people bring (Quest family) plus the generic fallbacks
 * Babylon reaches for, so nothing is ever fetched from another host.
 */
export const XR_PROFILES_PATH = '/xr/input-profiles';

export const XR_PROFILES = [
  'meta-quest-touch-plus',
  'meta-quest-touch-pro',
  'oculus-touch-v3',
  'oculus-touch-v2',
  'oculus-touch',
  'generic-trigger-squeeze-thumbstick',
  'generic-trigger',
  'generic-hand',
] as const;
