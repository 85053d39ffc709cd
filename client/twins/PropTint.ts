/**
 * Tints a prop that is a twin: a see-through shell of the prop's own shape, a little larger, in the
 * twin's colour, following the prop wherever it is moved. Every prop of a kind is a thin instance
 * of one mesh (scene/props/PropLayer.ts), which cannot be coloured one instance at a time, so the
 * tint is a mesh of its own made from a copy of the kind's geometry once that has loaded.
 */
import type { Scene } from '@babylonjs/core/scene';
import { Color3 } from '@babylonjs/core/Maths/math.color';
import { Quaternion, Vector3 } from '@babylonjs/core/Maths/math.vector';
import { StandardMaterial } from '@babylonjs/core/Materials/standardMaterial';
import { VertexBuffer } from '@babylonjs/core/Buffers/buffer';
import type { AbstractMesh } from '@babylonjs/core/Meshes/abstractMesh';
import { Mesh } from '@babylonjs/core/Meshes/mesh';
import { VertexData } from '@babylonjs/core/Meshes/mesh.vertexData';
import type { PropLayer, ShownProp } from '../scene/props/PropLayer';

/** How much larger than the prop the shell is, so it wraps it without flickering through it. */
const INFLATE = 1.03;
/** How often to look again for a kind's mesh that is still loading. */
const RETRY_MS = 500;

export class PropTint {
  private shell: Mesh | null = null;
  /** The kind's mesh the shell was copied from: hidden with it (AR hides the room's props). */
  private source: AbstractMesh | null = null;
  private readonly material: StandardMaterial;
  private lookedAt = -Infinity;

  constructor(
    private readonly scene: Scene,
    private readonly name: string,
    private readonly props: PropLayer,
    readonly propId: string,
  ) {
    this.material = new StandardMaterial(`${name}-tint`, scene);
    this.material.disableLighting = true;
    // both sides: a merged model's winding cannot be relied on, and a tint seen through looks right
    this.material.backFaceCulling = false;
    this.material.alpha = 0.4;
  }

  /** The prop as drawn now, or null when it is not in the world. */
  get prop(): ShownProp | null {
    return this.props.shown.get(this.propId) ?? null;
  }

  /** The tint's colour, once the shell is there. */
  get colour(): string | null {
    return this.shell ? this.material.emissiveColor.toHexString().toLowerCase() : null;
  }

  /** Where the readout floats: a little above the prop's top. */
  readoutPoint(lift: number): Vector3 | null {
    const prop = this.prop;
    if (!prop) return null;
    return new Vector3(prop.position.x, prop.position.y + this.props.heightOf(prop.kind) * prop.scale + lift, prop.position.z);
  }

  /** Colours the shell; `level` (0..1) is how strongly, for an alarm's pulse. */
  paint(colour: string, level: number): void {
    this.material.emissiveColor = Color3.FromHexString(colour);
    this.material.alpha = 0.35 + 0.3 * level;
  }

  /** Per frame: follows the prop, and makes the shell once the prop's model has loaded. */
  update(now: number): void {
    const prop = this.prop;
    if (!prop) return;
    if (!this.shell && now - this.lookedAt >= RETRY_MS) {
      this.lookedAt = now;
      this.shell = this.makeShell(prop.kind);
    }
    if (!this.shell) return;
    const on = this.source?.isEnabled() ?? false;
    if (this.shell.isEnabled(false) !== on) this.shell.setEnabled(on);
    // set only when changed: the world is drawn again whenever a node moves
    if (!this.shell.position.equals(prop.position)) this.shell.position.copyFrom(prop.position);
    const q = this.shell.rotationQuaternion!;
    if (!q.equals(prop.rotation)) q.copyFrom(prop.rotation);
    if (this.shell.scaling.x !== prop.scale) this.shell.scaling.setAll(prop.scale);
  }

  private makeShell(kind: string): Mesh | null {
    const source = this.scene.meshes.find((m: AbstractMesh) => (m.metadata as { propKind?: string } | null)?.propKind === kind && m instanceof Mesh);
    const positions = source?.getVerticesData(VertexBuffer.PositionKind);
    const indices = source?.getIndices();
    if (!source || !positions || !indices) return null;
    const box = source.getBoundingInfo().boundingBox;
    const c = box.center;
    const grown = Float32Array.from(positions, (v, i) => {
      const mid = i % 3 === 0 ? c.x : i % 3 === 1 ? c.y : c.z;
      return mid + (v - mid) * INFLATE;
    });
    this.source = source;
    const shell = new Mesh(`${this.name}-shell`, this.scene);
    const data = new VertexData();
    data.positions = grown;
    data.indices = Array.from(indices);
    data.applyToMesh(shell);
    shell.material = this.material;
    shell.isPickable = false;
    shell.rotationQuaternion = Quaternion.Identity();
    return shell;
  }

  dispose(): void {
    this.shell?.dispose();
    this.material.dispose();
  }
}
