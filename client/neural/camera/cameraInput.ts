/**
 * Puts the camera into a participant's neural input: its own switch, indicator and preview in the
 * panel, its readings into the channel, and the channel told whether it is running (for the
 * panel's indicator and the server's list of who streams what).
 */
import type { NeuralChannel } from '../NeuralChannel';
import { CameraSource, type CameraSourceOptions } from './CameraSource';
import { mountCameraToggle } from './cameraToggle';

export interface CameraHost {
  channel: NeuralChannel;
  addControl(element: HTMLElement): void;
  /** Says a camera failure where it is seen at once (the panel's own line may be scrolled away). */
  notify?(message: string): void;
}

/** Returns the function that turns the camera off, takes it out again and releases it. */
export function addCameraInput(host: CameraHost, options: CameraSourceOptions = {}): () => void {
  const source = new CameraSource(options);
  const removeSource = host.channel.addSource(source);
  const offStatus = source.onStatus((s) => host.channel.setRunning(source, s.state === 'on'));
  const toggle = mountCameraToggle(source, host.notify);
  host.addControl(toggle.element);
  return () => {
    offStatus();
    toggle.dispose();
    removeSource();
    source.dispose();
  };
}
