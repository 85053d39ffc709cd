/**
 * Loads a glTF/GLB model into the scene from bytes we already have. Only the glTF 2.0 loader is
 * registered, on first use; extensions whose decoders Babylon would download from its CDN (Draco,
 * meshopt, Basis) are switched off, and models that point at files outside themselves are refused,
 * so loading a model never fetches anything.
 */
import type { Scene } from '@babylonjs/core/scene';
import type { AssetContainer } from '@babylonjs/core/assetContainer';
import { externalUris, gltfJson, isGlb } from '../content/gltf';

export interface LoadOptions {
  /**
   * Colour textures in sRGB GPU formats, decoded to linear when sampled: what PBR materials want
   * (the default). Plain materials, which light in gamma space, want them as stored.
   */
  srgbTextures?: boolean;
}

export async function loadModel(scene: Scene, bytes: ArrayBuffer, opts: LoadOptions = {}): Promise<AssetContainer> {
  const data = new Uint8Array(bytes);
  const outside = externalUris(gltfJson(data));
  if (outside.length) throw new Error('This model refers to files outside it. Upload it as a single .glb file.');
  const [{ LoadAssetContainerAsync }] = await Promise.all([import('@babylonjs/core/Loading/sceneLoader'), import('@babylonjs/loaders/glTF/2.0')]);
  const binary = isGlb(data);
  const disabled = { enabled: false };
  return LoadAssetContainerAsync(binary ? data : `data:${new TextDecoder().decode(data)}`, scene, {
    pluginExtension: binary ? '.glb' : '.gltf',
    pluginOptions: {
      gltf: {
        useSRGBBuffers: opts.srgbTextures ?? true,
        extensionOptions: {
          KHR_draco_mesh_compression: disabled,
          EXT_meshopt_compression: disabled,
          KHR_texture_basisu: disabled,
        },
      },
    },
  });
}
