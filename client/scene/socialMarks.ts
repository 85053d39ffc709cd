/**
 * What shows above a person's avatar besides their name: a raised hand or the megaphone (badges
 * that stay while they last), and reactions, which rise from their head and fade. The pictures are
 * drawn once per scene (socialIcons.ts) and shared by every avatar.
 */
import type { Scene } from '@babylonjs/core/scene';
import { DynamicTexture } from '@babylonjs/core/Materials/Textures/dynamicTexture';
import { StandardMaterial } from '@babylonjs/core/Materials/standardMaterial';
import { Color3 } from '@babylonjs/core/Maths/math.color';
import { CreatePlane } from '@babylonjs/core/Meshes/Builders/planeBuilder';
import type { Mesh } from '@babylonjs/core/Meshes/mesh';
import { TransformNode } from '@babylonjs/core/Meshes/transformNode';
import type { Reaction } from '../../shared/protocol';
import { drawIcon, type SocialIcon } from './socialIcons';

const ICON_PX = 128;
/** How long a reaction shows, rising, in milliseconds; it fades over the last part. */
export const BURST_MS = 2600;
const FADE_MS = 900;
const RISE_M = 0.55;
const BURST_SIZE_M = 0.28;
const BADGE_SIZE_M = 0.2;
/** The most reactions in the air above one person at once; older ones give way. */
const MAX_BURSTS = 4;

const materials = new WeakMap<Scene, Map<SocialIcon, StandardMaterial>>();

/** The shared material that shows `icon` (made the first time it is asked for in a scene). */
function iconMaterial(scene: Scene, icon: SocialIcon): StandardMaterial {
  let byIcon = materials.get(scene);
  if (!byIcon) materials.set(scene, (byIcon = new Map()));
  let material = byIcon.get(icon);
  if (material && !material.getScene().isDisposed) return material;
  const texture = new DynamicTexture(`icon-${icon}`, { width: ICON_PX, height: ICON_PX }, scene, true);
  texture.hasAlpha = true;
  const ctx = texture.getContext() as unknown as CanvasRenderingContext2D;
  ctx.clearRect(0, 0, ICON_PX, ICON_PX);
  drawIcon(ctx, icon, 4, 4, ICON_PX - 8);
  texture.update();
  material = new StandardMaterial(`icon-${icon}-mat`, scene);
  material.diffuseTexture = texture;
  material.emissiveColor = Color3.White();
  material.disableLighting = true;
  material.useAlphaFromDiffuseTexture = true;
  material.backFaceCulling = false;
  byIcon.set(icon, material);
  return material;
}

function iconPlane(scene: Scene, name: string, icon: SocialIcon, size: number): Mesh {
  const plane = CreatePlane(name, { size }, scene);
  plane.material = iconMaterial(scene, icon);
  plane.isPickable = false;
  plane.billboardMode = TransformNode.BILLBOARDMODE_ALL;
  return plane;
}

interface Burst {
  mesh: Mesh;
  start: number;
}

/** The marks above one person, hung from the node that follows their head. */
export class SocialMarks {
  private readonly bursts: Burst[] = [];
  private badges: Mesh[] = [];
  private shown = '';

  constructor(
    private readonly scene: Scene,
    private readonly anchor: TransformNode,
    private readonly name: string,
    /** Where the name tag hangs above the head's centre, and how wide it is: badges go beside it, reactions above. */
    private readonly tag: { tagHeight: number; tagWidth: number },
  ) {}

  /** Shows a raised hand and the megaphone while they last. */
  setBadges(hand: boolean, megaphone: boolean): void {
    const key = `${hand}${megaphone}`;
    if (key === this.shown) return;
    this.shown = key;
    for (const b of this.badges) b.dispose(false, false);
    const icons: SocialIcon[] = [...(hand ? (['hand'] as const) : []), ...(megaphone ? (['megaphone'] as const) : [])];
    this.badges = icons.map((icon, i) => {
      const plane = iconPlane(this.scene, `${this.name}-badge-${icon}`, icon, BADGE_SIZE_M);
      plane.parent = this.anchor;
      // left of the tag, the first nearest it
      plane.position.set(-(this.tag.tagWidth / 2 + BADGE_SIZE_M * (0.6 + i * 1.1)), this.tag.tagHeight, 0);
      return plane;
    });
  }

  /** Reactions start just over the name tag. */
  private get riseFrom(): number {
    return this.tag.tagHeight + 0.1 + BURST_SIZE_M / 2;
  }

  /** Which badges show now, for tests. */
  get badgeIcons(): string[] {
    return this.badges.map((b) => b.name.slice(b.name.lastIndexOf('-') + 1));
  }

  /** A reaction rises from the head and fades. */
  react(reaction: Reaction, now: number): void {
    while (this.bursts.length >= MAX_BURSTS) this.bursts.shift()!.mesh.dispose(false, false);
    const mesh = iconPlane(this.scene, `${this.name}-burst-${reaction}`, reaction, BURST_SIZE_M);
    mesh.parent = this.anchor;
    // side by side when several come at once
    mesh.position.set((this.bursts.length % 2 ? 1 : -1) * 0.12 * Math.min(1, this.bursts.length), this.riseFrom, 0);
    this.bursts.push({ mesh, start: now });
  }

  /** How many reactions are in the air now. */
  get burstCount(): number {
    return this.bursts.length;
  }

  /** Moves the reactions on; those that have run their time go. */
  update(now: number): void {
    for (let i = this.bursts.length - 1; i >= 0; i--) {
      const b = this.bursts[i]!;
      const age = now - b.start;
      if (age >= BURST_MS) {
        b.mesh.dispose(false, false);
        this.bursts.splice(i, 1);
        continue;
      }
      const t = age / BURST_MS;
      b.mesh.position.y = this.riseFrom + RISE_M * (1 - (1 - t) * (1 - t));
      b.mesh.visibility = Math.min(1, (BURST_MS - age) / FADE_MS);
    }
  }

  dispose(): void {
    for (const b of this.bursts) b.mesh.dispose(false, false);
    this.bursts.length = 0;
    for (const b of this.badges) b.dispose(false, false);
    this.badges = [];
  }
}
