import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../shared/protocol';
import { glbModel, gltfEmbedded, gltfWithExternalBuffer, pngHeader } from '../testing/models';
import { checkModel } from './checkModel';

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: { code: string; status: number; message: string }) => ({ code: e.code, status: e.status, message: e.message }),
  );

describe('checking an uploaded prop model', () => {
  it('accepts a small .glb and counts its triangles', async () => {
    const checked = await checkModel(await glbModel({ triangles: 12 }));
    expect(checked.triangles).toBe(12);
    expect(checked.textures).toBe(0);
  });

  it('accepts a .gltf with everything inside and repacks it as a .glb', async () => {
    const checked = await checkModel(gltfEmbedded());
    expect(checked.triangles).toBe(1);
    expect(Buffer.from(checked.glb.subarray(0, 4)).toString('ascii')).toBe('glTF');
  });

  it('accepts a texture at the largest side allowed', async () => {
    expect((await checkModel(await glbModel({ texture: pngHeader(2048, 1024) }))).textures).toBe(1);
  });

  it('refuses a file that is not glTF', async () => {
    expect(await refusal(checkModel(Buffer.from('just some words')))).toMatchObject({ code: ErrorCode.BAD_REQUEST, status: 400, message: expect.stringContaining('not a glTF') });
    expect(await refusal(checkModel(Buffer.from('{"hello": 1}')))).toMatchObject({ code: ErrorCode.BAD_REQUEST, message: expect.stringContaining('asset') });
  });

  it('refuses a buffer that refers to a file outside the model, before reading it', async () => {
    for (const uri of ['model.bin', '../../../etc/passwd', 'http://example.invalid/x.bin', 'file:///etc/passwd']) {
      expect(await refusal(checkModel(gltfWithExternalBuffer(uri)))).toMatchObject({ code: ErrorCode.BAD_REQUEST, message: expect.stringContaining('outside the model') });
    }
  });

  it('refuses compression whose decoder a browser would have to download', async () => {
    for (const extension of ['KHR_draco_mesh_compression', 'EXT_meshopt_compression', 'KHR_texture_basisu']) {
      const gltf = JSON.parse(Buffer.from(gltfEmbedded()).toString('utf8')) as Record<string, unknown>;
      gltf.extensionsUsed = [extension];
      const r = await refusal(checkModel(Buffer.from(JSON.stringify(gltf))));
      expect(r).toMatchObject({ code: ErrorCode.BAD_REQUEST, message: expect.stringContaining(extension) });
    }
  });

  it('refuses a texture larger than allowed', async () => {
    const r = await refusal(checkModel(await glbModel({ texture: pngHeader(8192, 8192) })));
    expect(r).toMatchObject({ code: ErrorCode.BAD_REQUEST, message: expect.stringContaining('8192×8192') });
  });

  it('refuses too many triangles, counting each node that draws a mesh', async () => {
    expect(await refusal(checkModel(await glbModel({ triangles: 100_001 })))).toMatchObject({ code: ErrorCode.BAD_REQUEST, message: expect.stringContaining('100,001 triangles') });
    expect(await refusal(checkModel(await glbModel({ triangles: 10 }), { bytes: 1e6, triangles: 9, textureSide: 2048, textures: 16 }))).toMatchObject({ code: ErrorCode.BAD_REQUEST });
  });

  it('refuses too many textures', async () => {
    const r = await refusal(checkModel(await glbModel({ texture: pngHeader(4, 4) }), { bytes: 1e6, triangles: 10, textureSide: 2048, textures: 0 }));
    expect(r).toMatchObject({ code: ErrorCode.BAD_REQUEST, message: expect.stringContaining('1 textures') });
  });

  it('refuses a file over the size limit before parsing it', async () => {
    const r = await refusal(checkModel(new Uint8Array(64), { bytes: 63, triangles: 10, textureSide: 2048, textures: 16 }));
    expect(r).toMatchObject({ code: ErrorCode.TOO_LARGE, status: 413 });
  });

  it('refuses a damaged .glb with the reason, not a crash', async () => {
    const glb = await glbModel();
    const r = await refusal(checkModel(glb.subarray(0, 40)));
    expect(r).toMatchObject({ code: ErrorCode.BAD_REQUEST, status: 400 });
  });
});
