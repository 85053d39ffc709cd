import { describe, expect, it } from 'vitest';
import { makeGlb, makeGltfJson } from '../../server/testing/fixtures';
import { externalUris, gltfJson, isGlb } from './gltf';

describe('glTF checks', () => {
  it('reads the JSON of a GLB and of a .gltf', () => {
    const glb = new Uint8Array(makeGlb());
    expect(isGlb(glb)).toBe(true);
    expect((gltfJson(glb) as { asset: { version: string } }).asset.version).toBe('2.0');
    const json = new Uint8Array(makeGltfJson());
    expect(isGlb(json)).toBe(false);
    expect((gltfJson(json) as { asset: { version: string } }).asset.version).toBe('2.0');
  });

  it('accepts a model whose resources are all embedded', () => {
    expect(externalUris(gltfJson(new Uint8Array(makeGltfJson())))).toEqual([]);
    expect(externalUris(gltfJson(new Uint8Array(makeGlb())))).toEqual([]);
  });

  it('finds resources that point outside the file, wherever they are', () => {
    const json = {
      buffers: [{ uri: 'https://example.com/mesh.bin' }],
      images: [{ uri: 'data:image/png;base64,AAAA' }, { uri: 'texture.png' }],
      extensions: { EXT_lights_ies: { lights: [{ uri: '//cdn.example/x.ies' }] } },
    };
    expect(externalUris(json).sort()).toEqual(['//cdn.example/x.ies', 'https://example.com/mesh.bin', 'texture.png']);
  });

  it('refuses bytes that are not glTF', () => {
    expect(() => gltfJson(new TextEncoder().encode('not json'))).toThrow(/not valid glTF/);
  });
});
