/**
 * The in-world menu's panel: one plane drawn from a canvas (tabs, rows, buttons as menuModel lays
 * them out), with an invisible pad over each button registered as a control, so a controller ray,
 * a fingertip, a pinch or the mouse presses it the same way. Hovering redraws the button lit.
 */
import type { Scene } from '@babylonjs/core/scene';
import { Color3 } from '@babylonjs/core/Maths/math.color';
import { Vector3 } from '@babylonjs/core/Maths/math.vector';
import { DynamicTexture } from '@babylonjs/core/Materials/Textures/dynamicTexture';
import { StandardMaterial } from '@babylonjs/core/Materials/standardMaterial';
import { CreatePlane } from '@babylonjs/core/Meshes/Builders/planeBuilder';
import { Mesh } from '@babylonjs/core/Meshes/mesh';
import { TransformNode } from '@babylonjs/core/Meshes/transformNode';
import { registerControl, unregisterControl, type PlacedControl } from '../../scene/controls';
import { HOVER_COLOUR } from '../../input/controlHover';
import { MENU_PX, type MenuAction, type PlacedItem } from './menuModel';

/** The panel's width in metres; its height follows the canvas. */
export const MENU_WIDTH_M = 0.64;
const M_PER_PX = MENU_WIDTH_M / MENU_PX.width;
const PAD_OFFSET_M = 0.003;
/** A rim around the drawn panel, wide enough to hide the hover frame of an edge button. */
const RIM_M = 0.035;

export class MenuPanel {
  readonly root: TransformNode;
  private readonly plane: Mesh;
  private readonly texture: DynamicTexture;
  private readonly padMaterial: StandardMaterial;
  private pads: Mesh[] = [];
  private items: PlacedItem[] = [];
  private hovered = -1;

  constructor(
    private readonly scene: Scene,
    private readonly act: (action: MenuAction) => void,
  ) {
    this.root = new TransformNode('xr-menu', scene);
    this.plane = CreatePlane('xr-menu-panel', { width: MENU_WIDTH_M, height: MENU_PX.height * M_PER_PX, sideOrientation: Mesh.DOUBLESIDE }, scene);
    this.plane.parent = this.root;
    this.plane.isPickable = true;
    this.texture = new DynamicTexture('xr-menu-texture', { width: MENU_PX.width, height: MENU_PX.height }, scene, true);
    const material = new StandardMaterial('xr-menu-material', scene);
    material.diffuseTexture = this.texture;
    material.emissiveTexture = this.texture;
    material.disableLighting = true;
    material.specularColor = Color3.Black();
    this.plane.material = material;
    const rim = CreatePlane('xr-menu-rim', { width: MENU_WIDTH_M + 2 * RIM_M, height: MENU_PX.height * M_PER_PX + 2 * RIM_M, sideOrientation: Mesh.DOUBLESIDE }, scene);
    rim.parent = this.root;
    rim.isPickable = false;
    rim.position.z = -PAD_OFFSET_M / 6;
    const rimMaterial = new StandardMaterial('xr-menu-rim', scene);
    rimMaterial.disableLighting = true;
    rimMaterial.emissiveColor = Color3.FromHexString('#1d2129');
    rim.material = rimMaterial;
    // the pads are there to be pointed at, not seen: the panel's drawing shows the buttons
    this.padMaterial = new StandardMaterial('xr-menu-pad', scene);
    this.padMaterial.alpha = 0;
    this.root.setEnabled(false);
  }

  /** Draws `items` and puts a pressable pad over each button. */
  show(items: PlacedItem[]): void {
    this.items = items;
    this.hovered = -1;
    for (const pad of this.pads) {
      unregisterControl(pad);
      pad.dispose();
    }
    this.pads = [];
    items.forEach((placed, index) => {
      const { item } = placed;
      if (item.kind !== 'button') return;
      const pad = CreatePlane(`xr-menu-button-${index}`, { width: placed.w * M_PER_PX, height: placed.h * M_PER_PX, sideOrientation: Mesh.DOUBLESIDE }, this.scene);
      pad.parent = this.root;
      pad.material = this.padMaterial;
      // just off the panel on the side that faces the person, so rays and fingertips meet the pad
      // first; close enough that the shared hover frame (drawn behind a control) stays hidden behind
      // the panel, which lights the button itself instead
      pad.position.set((placed.x + placed.w / 2 - MENU_PX.width / 2) * M_PER_PX, (MENU_PX.height / 2 - placed.y - placed.h / 2) * M_PER_PX, PAD_OFFSET_M);
      registerControl(pad, {
        label: item.label,
        press: () => this.act(item.action),
        hover: (on) => this.hover(on ? index : -1),
      });
      this.pads.push(pad);
    });
    this.draw();
  }

  setEnabled(on: boolean): void {
    this.root.setEnabled(on);
  }

  get enabled(): boolean {
    return this.root.isEnabled();
  }

  /** The middle of the panel's bottom edge, outside its rim, in the world. */
  bottomEdge(): Vector3 {
    return Vector3.TransformCoordinates(new Vector3(0, -((MENU_PX.height * M_PER_PX) / 2 + RIM_M), 0), this.root.computeWorldMatrix(true));
  }

  /** The buttons on the panel with their world centres, while it shows. */
  get shownButtons(): PlacedControl[] {
    if (!this.enabled) return [];
    return this.pads.map((pad) => {
      pad.computeWorldMatrix(true);
      const p = pad.getAbsolutePosition();
      const index = Number(pad.name.slice('xr-menu-button-'.length));
      const item = this.items[index]!.item;
      return { label: item.kind === 'button' ? item.label : '', position: [p.x, p.y, p.z] };
    });
  }

  /** The text drawn on the panel (not the buttons' labels), while it shows. */
  get shownTexts(): string[] {
    if (!this.enabled) return [];
    return this.items.flatMap(({ item }) => (item.kind === 'text' ? [item.text] : []));
  }

  private hover(index: number): void {
    if (this.hovered === index) return;
    this.hovered = index;
    this.draw();
  }

  private draw(): void {
    const ctx = this.texture.getContext() as unknown as CanvasRenderingContext2D;
    const { width, height } = MENU_PX;
    ctx.fillStyle = '#1d2129';
    ctx.fillRect(0, 0, width, height);
    ctx.strokeStyle = '#5b6270';
    ctx.lineWidth = 4;
    ctx.strokeRect(2, 2, width - 4, height - 4);
    ctx.textBaseline = 'middle';
    this.items.forEach(({ item, x, y, w, h }, index) => {
      if (item.kind === 'text') {
        ctx.fillStyle = item.muted ? '#c3c9d3' : '#ffffff';
        ctx.font = `${item.muted ? 30 : 34}px sans-serif`;
        ctx.textAlign = 'left';
        ctx.fillText(fit(ctx, item.text, w - 12), x + 6, y + h / 2);
        return;
      }
      const lit = index === this.hovered;
      ctx.fillStyle = item.selected ? '#3d6fd6' : lit ? '#4a5262' : '#2f3440';
      ctx.beginPath();
      ctx.roundRect(x, y, w, h, 14);
      ctx.fill();
      ctx.strokeStyle = lit ? HOVER_COLOUR : '#6b7384';
      ctx.lineWidth = lit ? 6 : 2;
      ctx.stroke();
      ctx.fillStyle = '#ffffff';
      // a long label gets a smaller type before it gets an ellipsis
      let size = 30;
      do ctx.font = `bold ${size}px sans-serif`;
      while (ctx.measureText(item.label).width > w - 16 && (size -= 2) >= 22);
      ctx.textAlign = 'center';
      ctx.fillText(fit(ctx, item.label, w - 16), x + w / 2, y + h / 2);
    });
    this.texture.update(true);
  }

  dispose(): void {
    for (const pad of this.pads) unregisterControl(pad);
    this.root.dispose(false, true);
    this.padMaterial.dispose();
  }
}

/** Shortens `text` with an ellipsis until it fits `width` pixels in the current font. */
function fit(ctx: CanvasRenderingContext2D, text: string, width: number): string {
  if (ctx.measureText(text).width <= width) return text;
  let s = text;
  while (s.length > 1 && ctx.measureText(`${s}…`).width > width) s = s.slice(0, -1);
  return `${s}…`;
}
