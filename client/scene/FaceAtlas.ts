/**
 * The shared home of every panel face: a few large textures (atlas pages), each with one material
 * and one invisible source plane whose instances are the faces on that page. Two hundred panels
 * then cost a handful of textures and draw calls instead of two hundred of each. A redraw copies
 * only the face's own block into its page; mip levels are rebuilt once per frame, not per face.
 */
import type { Scene } from '@babylonjs/core/scene';
import type { Observer } from '@babylonjs/core/Misc/observable';
import { Color3 } from '@babylonjs/core/Maths/math.color';
import { Constants } from '@babylonjs/core/Engines/constants';
import type { ThinEngine } from '@babylonjs/core/Engines/thinEngine';
import { pageMaterial } from './pageMaterial';
import { StandardMaterial } from '@babylonjs/core/Materials/standardMaterial';
import { Texture } from '@babylonjs/core/Materials/Textures/texture';
import { RawTexture } from '@babylonjs/core/Materials/Textures/rawTexture';
import { CreatePlane } from '@babylonjs/core/Meshes/Builders/planeBuilder';
import { Mesh } from '@babylonjs/core/Meshes/mesh';
import { newCanvas } from '../content/canvas';
import { AtlasGrid, fitWithin, slotUvRect, type AtlasSlot } from './atlasGrid';
import { UvRectPlugin, useUvRects } from './UvRectPlugin';
import { CLOSE_UP_MAX_SIDE } from './sharpness';

/**
 * 2048 × 4096 pages: wide enough for a near two-page spread, tall enough for five rows of far
 * Letter faces (three would not fit in 2048), small enough to rebuild mips without a hitch.
 */
export const ATLAS_PAGE = { width: 2048, height: 4096 } as const;
/** Faces take whole 128 px units: little waste, and mip levels up to 128:1 never mix two faces. */
export const ATLAS_UNIT_PX = 128;
/** What fills a block around a face that does not use all of it (the panel board's colour). */
const SURROUND = '#383d47';

/** Where a face was put: its block, the texture rectangle it shows, and the source to instance. */
export interface FacePlacement {
  slot: AtlasSlot;
  uvRect: [number, number, number, number];
  source: Mesh;
}

interface AtlasPage {
  texture: RawTexture;
  material: StandardMaterial;
  source: Mesh;
  dirty: boolean;
}

export class FaceAtlas {
  private readonly grid = new AtlasGrid(ATLAS_PAGE.width, ATLAS_PAGE.height, ATLAS_UNIT_PX);
  private readonly pages: AtlasPage[] = [];
  private readonly beforeRender: Observer<Scene>;

  constructor(private readonly scene: Scene) {
    this.beforeRender = scene.onBeforeRenderObservable.add(() => this.rebuildMips());
  }

  get pageCount(): number {
    return this.pages.length;
  }

  /** The largest side a face's own close-up texture may have here. */
  get maxCloseUpSide(): number {
    return Math.min(CLOSE_UP_MAX_SIDE, this.scene.getEngine().getCaps().maxTextureSize || CLOSE_UP_MAX_SIDE);
  }

  /**
   * Copies a face into the atlas: into `previous`'s block when it still fits it exactly, else into
   * a new block (the old one is freed first, so it can be the one chosen). Faces larger than a
   * page are shrunk to fit.
   */
  put(face: HTMLCanvasElement, previous: AtlasSlot | null): FacePlacement {
    const size = fitWithin(face.width, face.height, ATLAS_PAGE.width, ATLAS_PAGE.height);
    let slot = previous;
    if (!slot || !this.grid.sameBlock(slot, size.width, size.height)) {
      if (slot) this.grid.free(slot);
      slot = this.grid.allocate(size.width, size.height);
    }
    const page = this.page(slot.page);
    // the whole block, so no trace of an earlier face shows through filtering at its edges
    const block = newCanvas(slot.width, slot.height);
    const ctx = block.getContext('2d')!;
    ctx.fillStyle = SURROUND;
    ctx.fillRect(0, 0, slot.width, slot.height);
    ctx.drawImage(face, 0, 0, size.width, size.height);
    // the product draws with WebGL (Engine), whose sub-rectangle upload this needs
    const engine = this.scene.getEngine() as ThinEngine;
    const internal = page.texture.getInternalTexture()!;
    // WebGL2 takes the canvas itself; WebGL1 only its pixels
    const pixels = engine.webGLVersion >= 2 ? (block as unknown as ArrayBufferView) : ctx.getImageData(0, 0, slot.width, slot.height).data;
    engine.updateTextureData(internal, pixels, slot.x, slot.y, slot.width, slot.height, 0, 0, false);
    page.dirty = true;
    return { slot, uvRect: slotUvRect(slot, size.width, size.height, ATLAS_PAGE), source: page.source };
  }

  /** Gives a face's block back for the next face. */
  release(slot: AtlasSlot): void {
    this.grid.free(slot);
  }

  private page(index: number): AtlasPage {
    while (this.pages.length <= index) {
      const n = this.pages.length;
      const texture = new RawTexture(null, ATLAS_PAGE.width, ATLAS_PAGE.height, Constants.TEXTUREFORMAT_RGBA, this.scene, true, false, Texture.TRILINEAR_SAMPLINGMODE);
      texture.name = `face-atlas-${n}`;
      texture.wrapU = Texture.CLAMP_ADDRESSMODE;
      texture.wrapV = Texture.CLAMP_ADDRESSMODE;
      texture.anisotropicFilteringLevel = 8;
      const material = pageMaterial(`face-atlas-${n}`, this.scene);
      material.diffuseTexture = texture;
      new UvRectPlugin(material);
      // in our right-handed scene a plane's default front looks down -Z and would read mirrored;
      // BACKSIDE turns it to face +Z, the panel's readable side, with the text the right way round
      const source = CreatePlane(`face-atlas-${n}-source`, { size: 1, sideOrientation: Mesh.BACKSIDE }, this.scene);
      source.material = material;
      source.isPickable = false;
      // only its instances are seen; the source itself stays out of sight
      source.isVisible = false;
      useUvRects(source);
      this.pages.push({ texture, material, source, dirty: false });
    }
    return this.pages[index]!;
  }

  private rebuildMips(): void {
    const engine = this.scene.getEngine();
    for (const page of this.pages) {
      if (!page.dirty) continue;
      page.dirty = false;
      engine.generateMipmaps(page.texture.getInternalTexture()!);
    }
  }

  dispose(): void {
    this.beforeRender.remove();
    for (const page of this.pages) {
      page.source.dispose(false, true);
      page.material.dispose(true, true);
    }
    this.pages.length = 0;
  }
}
