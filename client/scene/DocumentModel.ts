/**
 * A glTF/GLB document standing in the room as a 3D model, scaled to fit a box of about a metre and
 * centred where the document stands. An invisible box around it takes the pointer, so even a thin
 * model is easy to grab.
 */
import type { Scene } from '@babylonjs/core/scene';
import type { AssetContainer } from '@babylonjs/core/assetContainer';
import { Color3 } from '@babylonjs/core/Maths/math.color';
import { Vector3 } from '@babylonjs/core/Maths/math.vector';
import { StandardMaterial } from '@babylonjs/core/Materials/standardMaterial';
import { CreateBox } from '@babylonjs/core/Meshes/Builders/boxBuilder';
import type { Mesh } from '@babylonjs/core/Meshes/mesh';
import { TransformNode } from '@babylonjs/core/Meshes/transformNode';
import type { ContentStore } from '../net/content';
import { createLabel, disposeLabel } from './labels';
import { loadModel } from './modelLoader';
import { PlacedDocument, type Holder } from './PlacedDocument';
import { inBackground } from '../ui/kit/background';

/** The model's largest side is scaled to this many metres. */
const FIT_SIZE = 1;

export class DocumentModel extends PlacedDocument {
  contentLoaded = false;
  error = '';
  private readonly fit: TransformNode;
  private readonly hitBox: Mesh;
  private readonly placeholderMaterial: StandardMaterial;
  private container: AssetContainer | null = null;
  private status: Mesh | null = null;
  private disposed = false;
  private size = new Vector3(FIT_SIZE, FIT_SIZE, FIT_SIZE);

  constructor(scene: Scene, docId: string, content: ContentStore, contentHash: string, title: string) {
    super(scene, docId);
    this.fit = new TransformNode(`doc-${docId}-fit`, scene);
    this.fit.parent = this.root;
    this.placeholderMaterial = new StandardMaterial(`doc-${docId}-placeholder`, scene);
    this.placeholderMaterial.diffuseColor = new Color3(0.5, 0.55, 0.62);
    this.placeholderMaterial.alpha = 0.35;
    this.hitBox = CreateBox(`doc-${docId}-hit`, { size: 1 }, scene);
    this.hitBox.parent = this.root;
    this.hitBox.scaling.setAll(FIT_SIZE * 0.5);
    this.hitBox.material = this.placeholderMaterial;
    this.hitBox.metadata = this.pick('model');
    this.showStatus(`Loading ${title}…`);
    inBackground(this.load(content, contentHash), 'Loading the model');
  }

  get halfHeight(): number {
    return this.size.y / 2;
  }

  protected showHolder(holder: Holder | null): void {
    // the model keeps its own look; the badge says who holds it, the box glows in their colour
    this.placeholderMaterial.emissiveColor = holder ? Color3.FromHexString(holder.colour).scale(0.6) : Color3.Black();
    this.hitBox.visibility = holder || !this.contentLoaded ? 1 : 0;
  }

  private async load(content: ContentStore, contentHash: string): Promise<void> {
    try {
      const bytes = await content.bytes(this.docId, contentHash);
      const container = await loadModel(this.scene, bytes);
      if (this.disposed) return container.dispose();
      this.container = container;
      container.addAllToScene();
      for (const node of container.rootNodes) node.parent = this.fit;
      for (const mesh of container.meshes) mesh.isPickable = false;
      this.fitToBox();
      // shaders compile in the background; "loaded" should mean it can be seen
      await this.scene.whenReadyAsync();
      if (this.disposed) return;
      this.contentLoaded = true;
      this.hitBox.visibility = 0;
      this.showStatus(null);
    } catch (err) {
      if (this.disposed) return;
      this.error = err instanceof Error && err.message ? err.message : 'This model cannot be shown.';
      this.showStatus(this.error);
    }
  }

  /** Scales and centres the model in a FIT_SIZE box, measured on its own before it joins the root. */
  private fitToBox(): void {
    this.fit.parent = null;
    this.fit.computeWorldMatrix(true);
    const { min, max } = this.fit.getHierarchyBoundingVectors(true);
    const extent = max.subtract(min);
    const k = FIT_SIZE / Math.max(extent.x, extent.y, extent.z, 1e-6);
    this.fit.scaling.setAll(k);
    this.fit.position.copyFrom(min.add(max).scale(-k / 2));
    this.fit.parent = this.root;
    this.size = extent.scale(k);
    this.hitBox.scaling.set(Math.max(this.size.x, 0.2), Math.max(this.size.y, 0.2), Math.max(this.size.z, 0.2));
    this.placeBadge();
  }

  private showStatus(text: string | null): void {
    if (this.status) disposeLabel(this.status);
    this.status = null;
    if (!text) return;
    this.status = createLabel(this.scene, `doc-${this.docId}-status`, text, this.error ? '#b42318' : '#20242c', { width: 1, billboard: false });
    this.status.parent = this.root;
    this.status.position.set(0, 0, 0.3);
  }

  override dispose(): void {
    this.disposed = true;
    this.showStatus(null);
    this.container?.dispose();
    this.placeholderMaterial.dispose();
    super.dispose();
  }
}
