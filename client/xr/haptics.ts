/**
 * Controller vibration: a short buzz when a grab is granted, a longer, stronger one on a refusal.
 * Controllers without a vibration motor (and tracked hands) are left alone, silently.
 */
import type { WebXRInputSource } from '@babylonjs/core/XR/webXRInputSource';

export const HAPTIC = { grab: { value: 0.4, ms: 40 }, refusal: { value: 0.8, ms: 160 } } as const;

let felt = 0;

/** Pulses that a controller confirmed it played, since the page opened (for tests). */
export function hapticPulses(): number {
  return felt;
}

/** Buzzes one controller; resolves quietly whether or not it could. */
export function pulse(source: WebXRInputSource, kind: keyof typeof HAPTIC): void {
  const controller = source.motionController;
  if (!controller) return;
  const { value, ms } = HAPTIC[kind];
  controller
    .pulse(value, ms)
    .then((played) => {
      if (played) felt++;
    })
    .catch(() => undefined);
}
