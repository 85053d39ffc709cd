/**
 * Comfort settings for moving around in VR, kept in this browser: teleport or smooth walking with
 * the thumbstick, how far one snap turn goes (0 for smooth turning), and whether the view narrows
 * behind a dark ring while the stick moves or turns the person.
 */
export interface XrSettings {
  locomotion: 'teleport' | 'smooth';
  /** Degrees per snap turn; 0 turns smoothly instead. */
  snapDegrees: number;
  /** A darkening ring at the edge of the view while walking or turning with the stick. */
  vignette: boolean;
}

export const DEFAULT_XR_SETTINGS: Readonly<XrSettings> = Object.freeze({ locomotion: 'teleport', snapDegrees: 30, vignette: true });
export const SNAP_CHOICES = [0, 15, 30, 45, 90] as const;
const KEY = 'dwc.xr.settings';

/** Reads stored settings, keeping the default for anything missing or not understood. */
export function parseXrSettings(raw: string | null): XrSettings {
  let stored: Partial<Record<keyof XrSettings, unknown>> = {};
  try {
    const value: unknown = raw ? JSON.parse(raw) : {};
    if (value && typeof value === 'object') stored = value;
  } catch {
    // a damaged entry falls back to the defaults
  }
  const locomotion = stored.locomotion === 'smooth' || stored.locomotion === 'teleport' ? stored.locomotion : DEFAULT_XR_SETTINGS.locomotion;
  const snapDegrees = (SNAP_CHOICES as readonly unknown[]).includes(stored.snapDegrees) ? (stored.snapDegrees as number) : DEFAULT_XR_SETTINGS.snapDegrees;
  const vignette = typeof stored.vignette === 'boolean' ? stored.vignette : DEFAULT_XR_SETTINGS.vignette;
  return { locomotion, snapDegrees, vignette };
}

export function loadXrSettings(): XrSettings {
  try {
    return parseXrSettings(localStorage.getItem(KEY));
  } catch {
    return { ...DEFAULT_XR_SETTINGS };
  }
}

export function saveXrSettings(settings: XrSettings): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(settings));
  } catch {
    // private modes may refuse storage; the settings still apply for this visit
  }
}
