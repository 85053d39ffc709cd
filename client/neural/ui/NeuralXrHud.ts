/**
 * The neural HUD in VR and AR: the same lines as the 2D HUD, on a small panel that floats below
 * the line of sight and follows the headset, shown while a source is on and a session runs.
 */
import type { Scene } from '@babylonjs/core/scene';
import type { Observer } from '@babylonjs/core/Misc/observable';
import { CreatePlane } from '@babylonjs/core/Meshes/Builders/planeBuilder';
import { DynamicTexture } from '@babylonjs/core/Materials/Textures/dynamicTexture';
import { StandardMaterial } from '@babylonjs/core/Materials/standardMaterial';
import { Mesh } from '@babylonjs/core/Meshes/mesh';
import type { HudLine } from './NeuralHud';

const WIDTH_PX = 512;
const HEIGHT_PX = 192;
const COLOUR: Record<HudLine['state'], string> = {
  below: '#bbbbbb',
  holding: '#ffe082',
  debounced: '#bbbbbb',
  sent: '#80d8ff',
  waiting: '#80d8ff',
  accepted: '#a5d6a7',
  refused: '#ef9a9a',
  idle: '#dddddd',
};

export class NeuralXrHud {
  private readonly plane: Mesh;
  private readonly texture: DynamicTexture;
  private readonly follow: Observer<Scene>;
  private visible = false;

  constructor(private readonly scene: Scene) {
    this.plane = CreatePlane('neural-xr-hud', { width: 0.4, height: 0.15 }, scene);
    this.plane.billboardMode = Mesh.BILLBOARDMODE_ALL;
    this.plane.isPickable = false;
    this.texture = new DynamicTexture('neural-xr-hud-texture', { width: WIDTH_PX, height: HEIGHT_PX }, scene, false);
    this.texture.hasAlpha = true;
    const material = new StandardMaterial('neural-xr-hud-material', scene);
    material.diffuseTexture = this.texture;
    material.emissiveTexture = this.texture;
    material.useAlphaFromDiffuseTexture = true;
    material.disableLighting = true;
    material.backFaceCulling = false;
    this.plane.material = material;
    this.plane.setEnabled(false);
    this.follow = scene.onBeforeRenderObservable.add(() => this.place());
  }

  setVisible(on: boolean): void {
    this.visible = on;
    this.plane.setEnabled(on);
  }

  draw(lines: readonly HudLine[]): void {
    const ctx = this.texture.getContext() as CanvasRenderingContext2D;
    ctx.clearRect(0, 0, WIDTH_PX, HEIGHT_PX);
    ctx.fillStyle = 'rgba(0, 0, 0, 0.6)';
    ctx.fillRect(0, 0, WIDTH_PX, HEIGHT_PX);
    ctx.font = '22px sans-serif';
    lines.slice(0, 6).forEach((line, i) => {
      ctx.fillStyle = COLOUR[line.state];
      ctx.fillText(line.text.slice(0, 48), 12, 30 + i * 30);
    });
    this.texture.update();
  }

  dispose(): void {
    this.scene.onBeforeRenderObservable.remove(this.follow);
    this.plane.dispose(false, true);
  }

  private place(): void {
    const camera = this.scene.activeCamera;
    if (!this.visible || !camera) return;
    const forward = camera.getForwardRay(1).direction;
    const eye = camera.globalPosition;
    this.plane.position.set(eye.x + forward.x * 0.6, eye.y + forward.y * 0.6 - 0.18, eye.z + forward.z * 0.6);
  }
}
