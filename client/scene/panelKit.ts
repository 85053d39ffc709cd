/**
 * Materials every panel shares: the board (one per holder colour) and the page control buttons
 * (one per icon and state). Made once per scene, so a hundred panels cost a handful of materials.
 */
import type { Scene } from '@babylonjs/core/scene';
import { Color3 } from '@babylonjs/core/Maths/math.color';
import { StandardMaterial } from '@babylonjs/core/Materials/standardMaterial';
import { DynamicTexture } from '@babylonjs/core/Materials/Textures/dynamicTexture';

export const PanelControl = { PREV: 'prev', NEXT: 'next', SPREAD: 'spread' } as const;
export type PanelControl = (typeof PanelControl)[keyof typeof PanelControl];

/** What a control button shows: an arrow, or the spread the button switches to. */
export type ControlIcon = 'prev' | 'next' | 'one' | 'two';

const ICON_PX = 128;

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

export class PanelKit {
  private readonly boards = new Map<string, StandardMaterial>();
  private readonly controls = new Map<string, StandardMaterial>();

  constructor(private readonly scene: Scene) {}

  /** The board material for a panel held by someone of this colour ('' = nobody holds it). */
  board(holderColour: string): StandardMaterial {
    let m = this.boards.get(holderColour);
    if (!m) {
      m = new StandardMaterial(`panel-board-${holderColour || 'free'}`, this.scene);
      m.diffuseColor = new Color3(0.22, 0.24, 0.28);
      m.specularColor = new Color3(0.1, 0.1, 0.1);
      m.emissiveColor = holderColour ? Color3.FromHexString(holderColour).scale(0.7) : Color3.Black();
      this.boards.set(holderColour, m);
    }
    return m;
  }

  control(icon: ControlIcon, enabled: boolean): StandardMaterial {
    const key = `${icon}-${enabled ? 'on' : 'off'}`;
    let m = this.controls.get(key);
    if (!m) {
      const texture = new DynamicTexture(`panel-control-${key}`, { width: ICON_PX, height: ICON_PX }, this.scene, true);
      texture.hasAlpha = true;
      drawIcon(texture.getContext() as unknown as CanvasRenderingContext2D, icon, enabled);
      texture.update();
      m = new StandardMaterial(`panel-control-${key}`, this.scene);
      m.diffuseTexture = texture;
      m.useAlphaFromDiffuseTexture = true;
      m.emissiveColor = Color3.White();
      m.disableLighting = true;
      this.controls.set(key, m);
    }
    return m;
  }

  dispose(): void {
    for (const m of [...this.boards.values(), ...this.controls.values()]) m.dispose(true, true);
    this.boards.clear();
    this.controls.clear();
  }
}
