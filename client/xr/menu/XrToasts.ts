/**
 * The page's toasts, in the headset: each message on a small dark card a little below the line of
 * sight, following the head, fading out as the page's toast goes. A message already showing is
 * replaced, not stacked, as on the page. At most three at once; the newest at the top. While
 * something else stands there (the open menu), the cards line up under it instead of over it.
 */
import type { Scene } from '@babylonjs/core/scene';
import type { Vector3 } from '@babylonjs/core/Maths/math.vector';
import type { Observer } from '@babylonjs/core/Misc/observable';
import { DynamicTexture } from '@babylonjs/core/Materials/Textures/dynamicTexture';
import { StandardMaterial } from '@babylonjs/core/Materials/standardMaterial';
import { CreatePlane } from '@babylonjs/core/Meshes/Builders/planeBuilder';
import { Mesh } from '@babylonjs/core/Meshes/mesh';
import type { ToastKind } from '../../ui/kit/toast';

const WIDTH_PX = 1024;
const HEIGHT_PX = 128;
const WIDTH_M = 0.56;
const HEIGHT_M = (WIDTH_M * HEIGHT_PX) / WIDTH_PX;
const DISTANCE_M = 0.8;
const BELOW_M = 0.2;
const MAX_SHOWN = 3;
const FADE_MS = 600;

interface Card {
  key: string;
  text: string;
  kind: ToastKind;
  plane: Mesh;
  texture: DynamicTexture;
  material: StandardMaterial;
  until: number;
}

/** A message the headset shows now. */
export interface ShownToast {
  text: string;
  kind: ToastKind;
  /** Where the card is, and how opaque (it fades before it goes). */
  position: [number, number, number];
  opacity: number;
}

export class XrToasts {
  private cards: Card[] = [];
  private readonly follow: Observer<Scene>;
  active = false;

  constructor(
    private readonly scene: Scene,
    private readonly lifeMs: number,
    /** World metres per real metre (1 but in an AR miniature). */
    private readonly unit: () => number = () => 1,
  ) {
    this.follow = scene.onBeforeRenderObservable.add(() => this.frame());
  }

  show(text: string, kind: ToastKind, key: string): void {
    if (!this.active) return;
    const now = performance.now();
    let card = this.cards.find((c) => c.key === key);
    if (!card) {
      card = this.makeCard(key);
      this.cards.unshift(card);
      while (this.cards.length > MAX_SHOWN) this.drop(this.cards[this.cards.length - 1]!);
    }
    card.text = text;
    card.kind = kind;
    card.until = now + this.lifeMs;
    this.draw(card);
  }

  /** The cards on show, newest first. */
  get shown(): ShownToast[] {
    return this.cards.map((c) => ({ text: c.text, kind: c.kind, position: [c.plane.position.x, c.plane.position.y, c.plane.position.z], opacity: c.material.alpha }));
  }

  clear(): void {
    for (const card of [...this.cards]) this.drop(card);
  }

  /** The middle of the bottom edge of what the cards must not cover, when something is there. */
  under: (() => Vector3 | null) | null = null;

  private makeCard(key: string): Card {
    const plane = CreatePlane(`xr-toast-${key}`, { width: WIDTH_M, height: HEIGHT_M }, this.scene);
    plane.billboardMode = Mesh.BILLBOARDMODE_ALL;
    plane.isPickable = false;
    const texture = new DynamicTexture(`xr-toast-texture-${key}`, { width: WIDTH_PX, height: HEIGHT_PX }, this.scene, true);
    texture.hasAlpha = true;
    const material = new StandardMaterial(`xr-toast-material-${key}`, this.scene);
    material.diffuseTexture = texture;
    material.emissiveTexture = texture;
    material.useAlphaFromDiffuseTexture = true;
    material.disableLighting = true;
    material.backFaceCulling = false;
    plane.material = material;
    // drawn over the world: a toast behind a wall or a panel must still be read
    plane.renderingGroupId = 1;
    return { key, text: '', kind: 'info', plane, texture, material, until: 0 };
  }

  private draw(card: Card): void {
    const ctx = card.texture.getContext() as unknown as CanvasRenderingContext2D;
    ctx.clearRect(0, 0, WIDTH_PX, HEIGHT_PX);
    ctx.fillStyle = card.kind === 'error' ? '#b3261e' : '#2a2f3a';
    ctx.beginPath();
    ctx.roundRect(4, 4, WIDTH_PX - 8, HEIGHT_PX - 8, 24);
    ctx.fill();
    ctx.fillStyle = '#ffffff';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    // long messages get two lines at a smaller size rather than running off the card
    ctx.font = 'bold 46px sans-serif';
    const size = ctx.measureText(card.text).width > WIDTH_PX * 0.9 ? 34 : 46;
    ctx.font = `bold ${size}px sans-serif`;
    const lines = wrap(ctx, card.text, WIDTH_PX - 48).slice(0, 2);
    lines.forEach((line, i) => ctx.fillText(line, WIDTH_PX / 2, HEIGHT_PX / 2 + (i - (lines.length - 1) / 2) * (size + 6)));
    card.texture.update(true);
  }

  private frame(): void {
    if (!this.cards.length) return;
    const camera = this.scene.activeCamera;
    const now = performance.now();
    for (const card of [...this.cards]) if (now >= card.until) this.drop(card);
    if (!camera) return;
    // world metres per real metre: the cards keep their real size when AR shrinks the world
    const u = this.unit();
    const under = this.under?.();
    const forward = camera.getForwardRay(1).direction;
    const eye = camera.globalPosition;
    this.cards.forEach((card, i) => {
      const down = i * (HEIGHT_M + 0.01) * u;
      if (under) card.plane.position.set(under.x, under.y - (HEIGHT_M / 2 + 0.015) * u - down, under.z);
      else card.plane.position.set(eye.x + forward.x * DISTANCE_M * u, eye.y + (forward.y * DISTANCE_M - BELOW_M) * u - down, eye.z + forward.z * DISTANCE_M * u);
      card.plane.scaling.setAll(u);
      card.material.alpha = Math.min(1, (card.until - now) / FADE_MS);
    });
  }

  private drop(card: Card): void {
    this.cards = this.cards.filter((c) => c !== card);
    card.plane.dispose(false, true);
  }

  dispose(): void {
    this.clear();
    this.scene.onBeforeRenderObservable.remove(this.follow);
  }
}

/** Splits `text` into lines no wider than `width` pixels in the current font. */
function wrap(ctx: CanvasRenderingContext2D, text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    const next = line ? `${line} ${word}` : word;
    if (line && ctx.measureText(next).width > width) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}
