/**
 * Controls pressed with the mouse (or a finger on a touch screen): a click on a control presses it
 * and goes no further (a button in front of a document never also grabs the document), and the
 * control under the pointer is lit and shows a hand cursor. XR pointers are routed elsewhere
 * (client/xr/xrControlsRouting.ts).
 */
import type { Scene } from '@babylonjs/core/scene';
import type { Camera } from '@babylonjs/core/Cameras/camera';
import { PointerEventTypes, type PointerInfoPre } from '@babylonjs/core/Events/pointerEvents';
import type { AbstractMesh } from '@babylonjs/core/Meshes/abstractMesh';
import type { Observer } from '@babylonjs/core/Misc/observable';
import { isDocumentMesh } from '../scene/DragController';
import { ControlHover } from './controlHover';
import { controlOf, isControlMesh } from './controls';

/** What a pointer can hit on its way to a control: controls, and the documents that may hide one. */
export const pointable = (mesh: AbstractMesh): boolean => isControlMesh(mesh) || (isDocumentMesh(mesh) && mesh.isEnabled());

export interface MouseControlsHost {
  scene: Scene;
  camera: Camera;
  canvas: HTMLCanvasElement;
}

export class MouseControls {
  private readonly observer: Observer<PointerInfoPre>;
  private readonly hover: ControlHover;

  constructor(private readonly host: MouseControlsHost) {
    this.hover = ControlHover.of(host.scene);
    // first in line, so a press on a control never reaches the drag and panel handlers
    this.observer = host.scene.onPrePointerObservable.add(
      (info, state) => {
        if ((info.event as PointerEvent).pointerType === 'xr') return;
        if (info.type === PointerEventTypes.POINTERMOVE) this.moved(info);
        else if (info.type === PointerEventTypes.POINTERDOWN && this.pressed(info)) {
          info.skipOnPointerObservable = true;
          state.skipNextObservers = true;
        }
      },
      undefined,
      true,
    );
  }

  private controlAt(info: PointerInfoPre): AbstractMesh | null {
    const { scene, camera } = this.host;
    const pick = scene.pick(info.localPosition.x, info.localPosition.y, pointable, false, camera);
    return pick.hit ? pick.pickedMesh : null;
  }

  private moved(info: PointerInfoPre): void {
    // while a button is held the pointer drags or looks about: nothing to hover
    if ((info.event as PointerEvent).buttons) return;
    const over = this.hover.point('mouse', this.controlAt(info));
    this.host.canvas.style.cursor = over ? 'pointer' : '';
  }

  private pressed(info: PointerInfoPre): boolean {
    if ((info.event as PointerEvent).button !== 0) return false;
    const control = controlOf(this.controlAt(info));
    if (!control) return false;
    control.press('mouse');
    return true;
  }

  dispose(): void {
    this.observer.remove();
    this.hover.forget('mouse');
    this.host.canvas.style.cursor = '';
  }
}
