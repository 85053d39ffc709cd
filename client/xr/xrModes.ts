/**
 * Which immersive modes this browser offers. Browsers without WebXR get the WebXR polyfill first
 * (it adds the API over older VR interfaces where there are any); the answer is asked once.
 */
export interface XrModes {
  vr: boolean;
  ar: boolean;
}

let asked: Promise<XrModes> | null = null;

async function ask(): Promise<XrModes> {
  if (!('xr' in navigator)) {
    try {
      const { default: WebXRPolyfill } = await import('webxr-polyfill');
      new WebXRPolyfill();
    } catch {
      // no polyfill, no XR: desktop only
    }
  }
  const xr = (navigator as Navigator & { xr?: { isSessionSupported(mode: string): Promise<boolean> } }).xr;
  if (!xr || !window.isSecureContext) return { vr: false, ar: false };
  const supported = (mode: string) => xr.isSessionSupported(mode).catch(() => false);
  const [vr, ar] = await Promise.all([supported('immersive-vr'), supported('immersive-ar')]);
  return { vr, ar };
}

/** The modes on offer (asked once per page). */
export function detectXrModes(): Promise<XrModes> {
  asked ??= ask();
  return asked;
}

/** A short sentence for the lobby about what this browser can do. */
export function describeXrModes(modes: XrModes, secure: boolean): string {
  if (modes.vr && modes.ar) return 'This browser offers VR and AR.';
  if (modes.vr) return 'This browser offers VR.';
  if (modes.ar) return 'This browser offers AR.';
  if (!secure) return 'Desktop only here: VR and AR need a secure (HTTPS) address. Start the server with HTTPS=1 and use the link below.';
  return 'Desktop only: this browser offers neither VR nor AR. Open the link below on a headset or phone.';
}
