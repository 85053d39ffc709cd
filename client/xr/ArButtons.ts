/**
 * The AR hint, "Place again", "Life size"/"Miniature" and "Exit AR" drawn in the world, for
 * headsets whose browser offers no DOM overlay (a Quest's passthrough AR): a small card above the
 * left hand, or floating low in front of the view when no left hand is tracked. Each button is a
 * control (client/input/controls.ts), so a ray and trigger, a fingertip or a pinch presses it.
 * The card keeps its real size when the world is scaled for the miniature.
 */
import type { Scene } from '@babylonjs/core/scene';
import { Color3 } from '@babylonjs/core/Maths/math.color';
import { Quaternion, Vector3 } from '@babylonjs/core/Maths/math.vector';
import { StandardMaterial } from '@babylonjs/core/Materials/standardMaterial';
import { DynamicTexture } from '@babylonjs/core/Materials/Textures/dynamicTexture';
import { CreatePlane } from '@babylonjs/core/Meshes/Builders/planeBuilder';
import type { Mesh } from '@babylonjs/core/Meshes/mesh';
import { TransformNode } from '@babylonjs/core/Meshes/transformNode';
import { SANS } from '../content/fonts';
import { registerControl, unregisterControl, type PlacedControl } from '../scene/controls';

/** Card size in real metres: readable at arm's length. */
const WIDTH = 0.26;
const HINT = { width: 1024, height: 256 } as const;
const BUTTON = { width: 384, height: 128 } as const;
const BUTTON_WIDTH = WIDTH / 3 - 0.006;
const BUTTON_HEIGHT = (BUTTON_WIDTH * BUTTON.height) / BUTTON.width;

export interface ArButtonActions {
  hint(): string;
  lifeSize(): boolean;
  placeAgain(): void;
  toggleLifeSize(): void;
  exit(): void;
}

interface Button {
  mesh: Mesh;
  label: () => string;
  hovered: boolean;
  drawn: string;
}

export class ArButtons {
  readonly root: TransformNode;
  private readonly hintMesh: Mesh;
  private readonly hintTexture: DynamicTexture;
  private hintDrawn = '';
  private readonly buttons: Button[] = [];

  constructor(
    private readonly scene: Scene,
    private readonly actions: ArButtonActions,
  ) {
    this.root = new TransformNode('ar-buttons', scene);
    this.root.rotationQuaternion = new Quaternion();
    this.hintTexture = new DynamicTexture('ar-hint-tex', { ...HINT }, scene, true);
    this.hintMesh = this.plane('ar-hint', this.hintTexture, WIDTH, (WIDTH * HINT.height) / HINT.width);
    this.hintMesh.position.y = BUTTON_HEIGHT / 2 + 0.005 + (WIDTH * HINT.height) / HINT.width / 2;
    const labels: Array<[string, () => string]> = [
      ['ar-place-again', () => 'Place again'],
      ['ar-life-size', () => (actions.lifeSize() ? 'Miniature' : 'Life size')],
      ['ar-exit', () => 'Exit AR'],
    ];
    labels.forEach(([name, label], i) => {
      const mesh = this.plane(name, new DynamicTexture(`${name}-tex`, { ...BUTTON }, scene, true), BUTTON_WIDTH, BUTTON_HEIGHT);
      mesh.position.x = (i - 1) * (WIDTH / 3);
      this.buttons.push({ mesh, label, hovered: false, drawn: '' });
    });
    this.refresh();
  }

  private plane(name: string, texture: DynamicTexture | null, width: number, height: number): Mesh {
    const mesh = CreatePlane(name, { width, height }, this.scene);
    const material = new StandardMaterial(`${name}-mat`, this.scene);
    material.emissiveColor = Color3.White();
    material.disableLighting = true;
    material.useAlphaFromDiffuseTexture = true;
    material.backFaceCulling = false;
    if (texture) {
      texture.hasAlpha = true;
      material.diffuseTexture = texture;
    }
    mesh.material = material;
    mesh.isPickable = false;
    mesh.parent = this.root;
    return mesh;
  }

  /** Redraws what changed: the hint's text and each button's label and hover colour. */
  refresh(): void {
    const hint = this.actions.hint();
    if (hint !== this.hintDrawn) {
      this.hintDrawn = hint;
      drawHint(this.hintTexture, hint);
    }
    for (const button of this.buttons) {
      const label = button.label();
      const key = `${label}|${button.hovered}`;
      if (key === button.drawn) continue;
      button.drawn = key;
      drawButton((button.mesh.material as StandardMaterial).diffuseTexture as DynamicTexture, label, button.hovered);
      registerControl(button.mesh, { label, press: () => this.press(button), hover: (on) => this.hover(button, on) });
    }
  }

  private press(button: Button): void {
    const name = button.mesh.name;
    if (name === 'ar-place-again') this.actions.placeAgain();
    else if (name === 'ar-life-size') this.actions.toggleLifeSize();
    else this.actions.exit();
  }

  private hover(button: Button, on: boolean): void {
    button.hovered = on;
    this.refresh();
  }

  /**
   * Each frame: the card stands above the left hand (`hand`, world) or low in front of the view,
   * turned to face the head, at real size in a world of `unit` world metres per real metre.
   */
  follow(head: Vector3, forward: Vector3, hand: Vector3 | null, unit: number): void {
    const at = hand ? hand.add(new Vector3(0, 0.14 * unit, 0)) : head.add(new Vector3(forward.x, 0, forward.z).normalize().scale(0.45 * unit)).add(new Vector3(0, -0.3 * unit, 0));
    this.root.position.copyFrom(at);
    this.root.scaling.setAll(unit);
    // face the eye: the card's +Z, the side its text reads from, points at the head
    const to = head.subtract(at);
    Quaternion.RotationYawPitchRollToRef(Math.atan2(to.x, to.z), -Math.atan2(to.y, Math.hypot(to.x, to.z)), 0, this.root.rotationQuaternion!);
  }

  /** Each button's label and world centre. */
  get placedButtons(): PlacedControl[] {
    return this.buttons.map((b) => {
      const p = b.mesh.getAbsolutePosition();
      return { label: b.label(), position: [p.x, p.y, p.z] };
    });
  }

  get hintText(): string {
    return this.hintDrawn;
  }

  dispose(): void {
    for (const b of this.buttons) unregisterControl(b.mesh);
    // materials and their textures go with the meshes
    this.root.dispose(false, true);
  }
}

function context(texture: DynamicTexture): CanvasRenderingContext2D {
  return texture.getContext() as unknown as CanvasRenderingContext2D;
}

/** A dark rounded face filling `size`, ready for white centred text of `px` pixels. */
function face(texture: DynamicTexture, size: { width: number; height: number }, fill: string, px: number): CanvasRenderingContext2D {
  const ctx = context(texture);
  const { width, height } = size;
  ctx.clearRect(0, 0, width, height);
  ctx.fillStyle = fill;
  ctx.beginPath();
  ctx.roundRect(4, 4, width - 8, height - 8, 32);
  ctx.fill();
  ctx.font = `600 ${px}px ${SANS}`;
  ctx.fillStyle = '#ffffff';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  return ctx;
}

/** A button: white text on a dark rounded face, blue while a pointer is over it. */
function drawButton(texture: DynamicTexture, label: string, hovered: boolean): void {
  const ctx = face(texture, BUTTON, hovered ? '#2f8cff' : '#23272f', 52);
  ctx.fillText(label, BUTTON.width / 2, BUTTON.height / 2 + 2, BUTTON.width - 24);
  texture.update();
}

/** The hint on a dark rounded card, wrapped to at most three lines. */
function drawHint(texture: DynamicTexture, text: string): void {
  const ctx = face(texture, HINT, 'rgba(20, 23, 28, 0.88)', 54);
  const { width, height } = HINT;
  const lines: string[] = [];
  for (const word of text.split(' ')) {
    const last = lines.at(-1);
    if (last !== undefined && ctx.measureText(`${last} ${word}`).width <= width - 80) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  const shown = lines.slice(0, 3);
  shown.forEach((line, i) => ctx.fillText(line, width / 2, height / 2 + (i - (shown.length - 1) / 2) * 64));
  texture.update();
}
