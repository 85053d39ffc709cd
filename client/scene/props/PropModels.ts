/**
 * One drawable mesh per prop kind, loaded once: a catalogue kind from `/assets/kits/<file>`, an
 * uploaded one from the world's prop model content route. The model's parts are merged into one
 * mesh, so every prop of that kind is a thin instance of it and the kind costs one draw call (one
 * per material, for a model with several). A model that cannot be loaded becomes a plain box of its
 * catalogue size, and the person is told once.
 */
import type { Scene } from '@babylonjs/core/scene';
import { Color3 } from '@babylonjs/core/Maths/math.color';
import { StandardMaterial } from '@babylonjs/core/Materials/standardMaterial';
import { CreateBox } from '@babylonjs/core/Meshes/Builders/boxBuilder';
import { Mesh } from '@babylonjs/core/Meshes/mesh';
import { isCatalogueKind, PROP_CATALOGUE } from '../../../shared/model/props';
import { authHeaders } from '../../net/account';
import { serverUrl } from '../../net/endpoint';
import { loadModel } from '../modelLoader';
import { plainMaterialsOn } from '../environment/materials';

/** Size of the box standing in for an uploaded model that failed to load (metres). */
const UNKNOWN_SIZE = [0.6, 0.6, 0.6] as const;

export function propModelUrl(worldId: string, kind: string): string {
  if (isCatalogueKind(kind)) return `${serverUrl()}/assets/kits/${PROP_CATALOGUE[kind].file}`;
  return `${serverUrl()}/api/v3/worlds/${encodeURIComponent(worldId)}/props/models/${encodeURIComponent(kind)}/content`;
}

async function fetchModel(worldId: string, kind: string): Promise<ArrayBuffer> {
  // an uploaded model of a private world is read as the signed-in account
  const res = await fetch(propModelUrl(worldId, kind), isCatalogueKind(kind) ? {} : { headers: await authHeaders() });
  if (!res.ok) throw new Error(`the server answered ${res.status}`);
  return res.arrayBuffer();
}

export class PropModels {
  private readonly meshes = new Map<string, Promise<Mesh>>();
  private fallbackMaterial: StandardMaterial | null = null;
  private disposed = false;
  private warned = false;

  constructor(
    private readonly scene: Scene,
    private readonly worldId: string,
    private readonly notify: (message: string) => void,
    /** Draw models in plain lit materials (the light graphics tier) instead of their PBR ones. */
    private readonly plain = false,
  ) {}

  /** The mesh every prop of `kind` is drawn from (a box, if its model would not load). */
  mesh(kind: string): Promise<Mesh> {
    let pending = this.meshes.get(kind);
    if (!pending) {
      pending = this.load(kind).catch((err: unknown) => {
        if (!this.warned) {
          this.warned = true;
          const why = err instanceof Error ? err.message : String(err);
          this.notify(`Some furniture is shown as plain boxes: a model did not load (${why}).`);
        }
        return this.box(kind);
      });
      this.meshes.set(kind, pending);
    }
    return pending;
  }

  private async load(kind: string): Promise<Mesh> {
    const bytes = await fetchModel(this.worldId, kind);
    if (this.disposed) throw new Error('the world was closed');
    // plain materials read colour textures as stored; PBR ones decode them from sRGB on the GPU
    const container = await loadModel(this.scene, bytes, { srgbTextures: !this.plain });
    container.addAllToScene();
    const parts = container.meshes.filter((m): m is Mesh => m instanceof Mesh && m.getTotalVertices() > 0);
    // merging bakes each part's place in the model (and the glTF root's) into one mesh of its own
    const merged = parts.length ? Mesh.MergeMeshes(parts, true, true, undefined, false, true) : null;
    for (const node of container.rootNodes) node.dispose(false, false);
    for (const mesh of container.meshes) if (mesh !== merged && !mesh.isDisposed()) mesh.dispose(false, false);
    if (!merged) throw new Error('it has no geometry');
    merged.name = `prop-kind-${kind}`;
    if (this.plain) plainMaterialsOn(this.scene, merged);
    return merged;
  }

  private box(kind: string): Mesh {
    const [width, height, depth] = isCatalogueKind(kind) ? PROP_CATALOGUE[kind].size : UNKNOWN_SIZE;
    const box = CreateBox(`prop-box-${kind}`, { width, height, depth }, this.scene);
    // the catalogue's models stand on y = 0: so does the box
    box.bakeTransformIntoVertices(box.getWorldMatrix().clone().setTranslationFromFloats(0, height / 2, 0));
    if (!this.fallbackMaterial) {
      this.fallbackMaterial = new StandardMaterial('prop-fallback', this.scene);
      this.fallbackMaterial.diffuseColor = new Color3(0.62, 0.6, 0.56);
    }
    box.material = this.fallbackMaterial;
    return box;
  }

  dispose(): void {
    this.disposed = true;
    for (const pending of this.meshes.values()) pending.then((m) => m.dispose(false, true)).catch(() => undefined);
    this.meshes.clear();
    this.fallbackMaterial?.dispose();
  }
}
