/**
 * The person's control over their camera: one button that turns it on and off, and while it is on
 * an indicator that cannot be missed (a red dot, the word, and a small mirrored preview of what the
 * camera sees). Errors are shown beside the button in words that say what to do.
 *
 * Also installs `window.__dwcCamera`, a read-only view of the source for end-to-end tests: its
 * status, the last pose and the last readings; it shows nothing the indicator does not.
 */
import './camera.css';
import { h } from '../../ui/kit/dom';
import type { NeuralReading } from '../types';
import type { CameraSource, PoseFrame } from './CameraSource';

export interface CameraProbe {
  status(): string;
  /** Where the pose model runs while on: 'GPU' or 'CPU'. */
  delegate(): string | null;
  error(): string | null;
  lastPose(): PoseFrame | null;
  readings(): NeuralReading[];
}

declare global {
  interface Window {
    __dwcCamera?: CameraProbe;
  }
}

const KEPT_READINGS = 50;

export interface CameraToggle {
  readonly element: HTMLElement;
  /** Turns the camera off and removes the control. */
  dispose(): void;
}

/** `notify` hears each new failure, for a toast: the panel's line is at its foot, often out of view. */
export function mountCameraToggle(source: CameraSource, notify?: (message: string) => void): CameraToggle {
  const button = h('button', { type: 'button', 'data-testid': 'camera-toggle', 'aria-pressed': 'false', title: 'Use your camera for gestures. Pictures stay on this device; only recognised gestures are used.' }, 'Camera');
  const dot = h('span', { class: 'camera-dot', 'aria-hidden': 'true' });
  const label = h('span', { class: 'camera-label' }, 'Camera on');
  const seen = h('span', { class: 'camera-seen', 'data-testid': 'camera-seen' });
  const preview = h('div', { class: 'camera-preview' });
  const indicator = h('div', { class: 'camera-indicator', 'data-testid': 'camera-indicator', role: 'status', hidden: true }, dot, label, seen, preview);
  const error = h('p', { class: 'camera-error error', 'data-testid': 'camera-error', role: 'alert', hidden: true });
  const heading = h('span', { class: 'camera-heading' }, 'Camera');
  const hint = h('p', { class: 'muted camera-hint' }, 'Raise your left or right hand, both hands, or cross your arms. The pictures stay on this device.');
  const element = h('div', { class: 'camera-toggle' }, heading, hint, button, indicator, error);

  let lastPose: PoseFrame | null = null;
  const readings: NeuralReading[] = [];
  let told = '';
  const render = () => {
    const s = source.status;
    button.setAttribute('aria-pressed', String(s.state === 'on' || s.state === 'starting'));
    button.textContent = s.state === 'on' ? 'Turn camera off' : s.state === 'starting' ? 'Starting camera…' : 'Turn camera on';
    button.disabled = s.state === 'starting';
    indicator.hidden = s.state !== 'on';
    // an optional model that failed is worth a line even while the pose gestures work
    const message = s.state === 'error' ? s.error.message : s.state === 'on' ? s.warnings.join(' ') : '';
    error.textContent = message;
    error.hidden = !message;
    if (s.state === 'error' && message !== told) notify?.(message);
    told = s.state === 'error' ? message : '';
    const video = source.video;
    if (s.state === 'on' && video) preview.replaceChildren(video);
    else {
      preview.replaceChildren();
      seen.textContent = '';
    }
  };

  button.addEventListener('click', () => {
    if (source.status.state === 'on') source.stop();
    // the failure is shown by render(); nothing else to do with it here
    else void source.start().catch(() => undefined);
  });
  const offStatus = source.onStatus(render);
  const offPose = source.onPose((p) => (lastPose = p));
  const offReading = source.onReading((r) => {
    readings.push(r);
    if (readings.length > KEPT_READINGS) readings.shift();
    seen.textContent = r.confidence >= 0.5 ? r.command.replaceAll('_', ' ') : '';
  });
  render();

  window.__dwcCamera = {
    status: () => source.status.state,
    delegate: () => (source.status.state === 'on' ? source.status.delegate : null),
    error: () => (source.status.state === 'error' ? source.status.error.message : null),
    lastPose: () => lastPose,
    readings: () => [...readings],
  };

  return {
    element,
    dispose() {
      offStatus();
      offPose();
      offReading();
      source.stop();
      element.remove();
      delete window.__dwcCamera;
    },
  };
}
