/**
 * Lets every instance of a mesh show its own rectangle of a shared texture: the instance carries
 * [u0, v0, du, dv] (v running down the texture, as canvas rows do) in the `uvRect` instanced
 * buffer, and the vertex shader maps the mesh's 0..1 UVs into it. This is what lets all panel
 * faces on one atlas page, or all page buttons, be drawn in a single call.
 */
import { MaterialPluginBase } from '@babylonjs/core/Materials/materialPluginBase';
import type { Material } from '@babylonjs/core/Materials/material';
import type { MaterialDefines } from '@babylonjs/core/Materials/materialDefines';
import { Vector4 } from '@babylonjs/core/Maths/math.vector';
import type { Mesh } from '@babylonjs/core/Meshes/mesh';
// side effect: instances and instanced buffers on Mesh
import '@babylonjs/core/Meshes/instancedMesh';

/** Name of the instanced buffer (and vertex attribute) holding an instance's rectangle. */
export const UV_RECT = 'uvRect';

export class UvRectPlugin extends MaterialPluginBase {
  constructor(material: Material) {
    super(material, 'UvRect', 200, { UVRECT: false }, true, true);
  }

  override getClassName(): string {
    return 'UvRectPlugin';
  }

  override prepareDefines(defines: MaterialDefines): void {
    defines['UVRECT'] = true;
  }

  override getAttributes(attributes: string[]): void {
    attributes.push(UV_RECT);
  }

  override getCustomCode(shaderType: string): { [point: string]: string } | null {
    if (shaderType !== 'vertex') return null;
    return {
      CUSTOM_VERTEX_DEFINITIONS: `attribute vec4 ${UV_RECT};`,
      // the mesh's v grows upwards; the rectangle's downwards like the canvas it was drawn from
      CUSTOM_VERTEX_UPDATE_POSITION: `#ifdef UV1\nuvUpdated = ${UV_RECT}.xy + vec2(uvUpdated.x, 1.0 - uvUpdated.y) * ${UV_RECT}.zw;\n#endif`,
    };
  }
}

/** Makes `mesh` a source whose instances each carry their own texture rectangle. */
export function useUvRects(mesh: Mesh): void {
  mesh.registerInstancedBuffer(UV_RECT, 4);
  mesh.instancedBuffers[UV_RECT] = new Vector4(0, 0, 1, 1);
}

/** Sets which rectangle of the texture an instance shows. */
export function setUvRect(instance: { instancedBuffers: Record<string, unknown> }, rect: readonly [number, number, number, number]): void {
  // a fresh vector: a new instance starts out sharing its source's, which must not change for all
  instance.instancedBuffers[UV_RECT] = new Vector4(rect[0], rect[1], rect[2], rect[3]);
}
