/**
 * The twins' part of `window.__dwc` (see testHook.ts): what each twin's readout shows here (value,
 * status and alarm text, colour, the prop's tint), where it is to point at, and the open panel's
 * buttons and texts — read from the public side of the twin layer.
 */
import { Matrix, Vector3 } from '@babylonjs/core/Maths/math.vector';
import type { Engine } from '@babylonjs/core/Engines/engine';
import type { Scene } from '@babylonjs/core/scene';
import type { Camera } from '@babylonjs/core/Cameras/camera';
import type { PlacedControl } from '../scene/controls';
import type { TwinLayer } from '../twins/TwinLayer';

export interface TwinProbe {
  id: string;
  /** 'gauge': a dial of its own; 'prop': the prop it is, tinted, with the readout above it. */
  shows: 'gauge' | 'prop';
  propId: string;
  /** The texts on its face and the colour it wears (null before the face is first drawn). */
  value: string | null;
  status: string | null;
  alarm: string | null;
  colour: string | null;
  /** The prop's tint colour, once the prop's model is in. */
  tint: string | null;
  /** The readout's centre in the world (what a ray aims at), and in the viewport (null when behind the eye). */
  position: [number, number, number];
  screen: { x: number; y: number } | null;
  /** Its control's label: what a ray pointing at it reports. */
  label: string;
}

export interface TwinPanelProbe {
  open: boolean;
  deviceId: string | null;
  /** Its buttons with their world centres (what a ray aims at) and viewport points (what a mouse clicks). */
  buttons: Array<PlacedControl & { screen: { x: number; y: number } | null }>;
  /** The line about the history, the last command's outcome, and how many points the chart draws. */
  history: string;
  outcome: string;
  points: number;
}

export function twinProbes(twins: TwinLayer, view: { engine: Engine; scene: Scene; camera: Camera; canvas: HTMLCanvasElement }): { twins(): TwinProbe[]; twinPanel(): TwinPanelProbe } {
  const toScreen = (p: [number, number, number]) => {
    const width = view.engine.getRenderWidth();
    const height = view.engine.getRenderHeight();
    const at = Vector3.Project(new Vector3(...p), Matrix.Identity(), view.scene.getTransformMatrix(), view.camera.viewport.toGlobal(width, height));
    if (at.z < 0 || at.z > 1) return null;
    const rect = view.canvas.getBoundingClientRect();
    return { x: rect.left + (at.x * rect.width) / width, y: rect.top + (at.y * rect.height) / height };
  };
  return {
    twins: () =>
      twins.shown.map((t) => ({
        id: t.id,
        shows: t.shows,
        propId: t.propId,
        value: t.face?.value ?? null,
        status: t.face?.status ?? null,
        alarm: t.face?.alarm ?? null,
        colour: t.face?.colour ?? null,
        tint: t.tint,
        position: t.position,
        screen: toScreen(t.position),
        label: t.label,
      })),
    twinPanel: () => ({ open: twins.panel.isOpen, deviceId: twins.panel.openFor, buttons: twins.panel.shownButtons.map((b) => ({ ...b, screen: toScreen(b.position) })), ...twins.panel.shownTexts }),
  };
}
