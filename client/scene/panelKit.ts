/**
 * What every panel shares, so that many panels stay cheap to draw: the face atlas, one board mesh
 * whose instances are all the boards (tinted per instance for the holder's colour), and one page
 * button mesh whose instances are all the buttons, each showing its icon from one small icon
 * texture. Boards, buttons and each atlas page are then one draw call each, however many panels.
 */
import type { Scene } from '@babylonjs/core/scene';
import { Color3, Color4 } from '@babylonjs/core/Maths/math.color';
import { Material } from '@babylonjs/core/Materials/material';
import { StandardMaterial } from '@babylonjs/core/Materials/standardMaterial';
import { DynamicTexture } from '@babylonjs/core/Materials/Textures/dynamicTexture';
import { Texture } from '@babylonjs/core/Materials/Textures/texture';
import { CreateBox } from '@babylonjs/core/Meshes/Builders/boxBuilder';
import { CreatePlane } from '@babylonjs/core/Meshes/Builders/planeBuilder';
import type { InstancedMesh } from '@babylonjs/core/Meshes/instancedMesh';
import { Mesh } from '@babylonjs/core/Meshes/mesh';
import { FaceAtlas } from './FaceAtlas';
import { FaceScheduler } from './FaceScheduler';
import { UvRectPlugin, setUvRect, useUvRects } from './UvRectPlugin';

export const PanelControl = { PREV: 'prev', NEXT: 'next', SPREAD: 'spread' } as const;
export type PanelControl = (typeof PanelControl)[keyof typeof PanelControl];

/** What a control button shows: an arrow, or the spread the button switches to. */
export type ControlIcon = 'prev' | 'next' | 'one' | 'two';

const ICON_PX = 128;
const ICONS: readonly ControlIcon[] = ['prev', 'next', 'one', 'two'];
/** The board of a panel nobody holds. */
const FREE_BOARD = new Color4(0.22, 0.24, 0.28, 1);

function drawIcon(ctx: CanvasRenderingContext2D, icon: ControlIcon, enabled: boolean): void {
  const s = ICON_PX;
  ctx.clearRect(0, 0, s, s);
  ctx.fillStyle = enabled ? '#2b3038' : '#8b9099';
  ctx.beginPath();
  ctx.roundRect(4, 4, s - 8, s - 8, 22);
  ctx.fill();
  ctx.fillStyle = enabled ? '#ffffff' : '#d4d7dc';
  ctx.strokeStyle = ctx.fillStyle;
  ctx.lineWidth = 7;
  ctx.lineJoin = 'round';
  ctx.beginPath();
  switch (icon) {
    case 'prev':
      ctx.moveTo(78, 34);
      ctx.lineTo(46, 64);
      ctx.lineTo(78, 94);
      ctx.stroke();
      return;
    case 'next':
      ctx.moveTo(50, 34);
      ctx.lineTo(82, 64);
      ctx.lineTo(50, 94);
      ctx.stroke();
      return;
    case 'one':
      ctx.strokeRect(44, 32, 40, 64);
      return;
    case 'two':
      ctx.strokeRect(26, 34, 36, 60);
      ctx.strokeRect(66, 34, 36, 60);
      return;
    default: {
      const unreachable: never = icon;
      throw new Error(`unknown icon ${String(unreachable)}`);
    }
  }
}

/** The rectangle of the icon texture showing `icon` (enabled in the top row, disabled below). */
export function iconUvRect(icon: ControlIcon, enabled: boolean): [number, number, number, number] {
  const col = ICONS.indexOf(icon);
  const row = enabled ? 0 : 1;
  const w = ICON_PX * ICONS.length;
  const h = ICON_PX * 2;
  return [(col * ICON_PX + 0.5) / w, (row * ICON_PX + 0.5) / h, (ICON_PX - 1) / w, (ICON_PX - 1) / h];
}

export class PanelKit {
  readonly atlas: FaceAtlas;
  /** Draws the panels' faces in turn, nearest the viewer first. */
  readonly faces: FaceScheduler;
  private readonly boardSource: Mesh;
  private readonly controlSource: Mesh;

  constructor(scene: Scene) {
    this.atlas = new FaceAtlas(scene);
    this.faces = new FaceScheduler(scene);

    const board = new StandardMaterial('panel-board', scene);
    // the instance colour multiplies this white: dark grey when free, the holder's colour when held
    board.diffuseColor = Color3.White();
    board.specularColor = new Color3(0.1, 0.1, 0.1);
    this.boardSource = CreateBox('panel-board-source', { size: 1 }, scene);
    this.boardSource.material = board;
    this.boardSource.isVisible = false;
    this.boardSource.isPickable = false;
    this.boardSource.registerInstancedBuffer('color', 4);
    this.boardSource.instancedBuffers['color'] = FREE_BOARD.clone();

    const icons = new DynamicTexture('panel-controls', { width: ICON_PX * ICONS.length, height: ICON_PX * 2 }, scene, true);
    icons.hasAlpha = true;
    icons.wrapU = Texture.CLAMP_ADDRESSMODE;
    icons.wrapV = Texture.CLAMP_ADDRESSMODE;
    const ctx = icons.getContext() as unknown as CanvasRenderingContext2D;
    ICONS.forEach((icon, col) => {
      for (const [row, enabled] of [[0, true], [1, false]] as const) {
        ctx.save();
        ctx.translate(col * ICON_PX, row * ICON_PX);
        drawIcon(ctx, icon, enabled);
        ctx.restore();
      }
    });
    // not flipped: rows stay top-down, as iconUvRect counts them
    icons.update(false);
    const control = new StandardMaterial('panel-controls', scene);
    control.diffuseTexture = icons;
    control.useAlphaFromDiffuseTexture = true;
    // cut-out, not blended: the buttons stay in the opaque pass and need no sorting
    control.transparencyMode = Material.MATERIAL_ALPHATEST;
    control.emissiveColor = Color3.White();
    control.disableLighting = true;
    new UvRectPlugin(control);
    this.controlSource = CreatePlane('panel-control-source', { size: 1, sideOrientation: Mesh.BACKSIDE }, scene);
    this.controlSource.material = control;
    this.controlSource.isVisible = false;
    this.controlSource.isPickable = false;
    useUvRects(this.controlSource);
  }

  /** A new board (a unit box, to be scaled), untinted. */
  newBoard(name: string): InstancedMesh {
    const board = this.boardSource.createInstance(name);
    board.instancedBuffers['color'] = FREE_BOARD.clone();
    return board;
  }

  /** Tints a board for a holder of this colour ('' = nobody holds it). */
  tintBoard(board: InstancedMesh, holderColour: string): void {
    const c = board.instancedBuffers['color'] as Color4;
    if (!holderColour) return void c.copyFrom(FREE_BOARD);
    const rgb = Color3.FromHexString(holderColour);
    c.set(rgb.r, rgb.g, rgb.b, 1);
  }

  /** A new page button of `size` metres square. */
  newControl(name: string, size: number): InstancedMesh {
    const control = this.controlSource.createInstance(name);
    control.scaling.setAll(size);
    setUvRect(control, iconUvRect('next', false));
    return control;
  }

  showIcon(control: InstancedMesh, icon: ControlIcon, enabled: boolean): void {
    setUvRect(control, iconUvRect(icon, enabled));
  }

  dispose(): void {
    this.faces.dispose();
    this.atlas.dispose();
    for (const source of [this.boardSource, this.controlSource]) source.dispose(false, true);
  }
}
