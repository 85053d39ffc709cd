import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../shared/protocol';
import { AppError } from '../errors';
import { TINY_JPEG, makeGlb, makeGltfJson, makePdf, makePng } from '../testing/fixtures';
import { detectKind } from './detect';

const md = Buffer.from('# Title\n\nSome *text*.\n\n- one\n- two\n');

describe('detecting document kinds from content', () => {
  it.each([
    ['notes.md', md, 'markdown', 'text/markdown'],
    ['notes', md, 'markdown', 'text/markdown'],
    ['notes.txt', md, 'text', 'text/plain'],
    ['plain.txt', Buffer.from('just words\nand more words'), 'text', 'text/plain'],
    ['report.pdf', makePdf(['one', 'two']), 'pdf', 'application/pdf'],
    ['report', makePdf(['one']), 'pdf', 'application/pdf'],
    ['pic.png', makePng(), 'image', 'image/png'],
    ['photo.jpeg', TINY_JPEG, 'image', 'image/jpeg'],
    ['model.glb', makeGlb(), 'model', 'model/gltf-binary'],
    ['model.gltf', makeGltfJson(), 'model', 'model/gltf+json'],
  ] as const)('%s is %s', async (name, bytes, kind, mime) => {
    expect(await detectKind(bytes, name)).toEqual({ kind, mime });
  });

  const refusals: Array<[string, string, Buffer, string]> = [
    ['an empty file', 'empty.md', Buffer.alloc(0), ErrorCode.BAD_REQUEST],
    ['a PNG named .pdf', 'lies.pdf', makePng(), ErrorCode.UNSUPPORTED_TYPE],
    ['text named .png', 'lies.png', Buffer.from('hello'), ErrorCode.UNSUPPORTED_TYPE],
    ['a PDF named .md', 'lies.md', makePdf(['x']), ErrorCode.UNSUPPORTED_TYPE],
    ['a GIF', 'anim.gif', Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00', 'latin1'), ErrorCode.UNSUPPORTED_TYPE],
    ['a zip', 'archive.zip', Buffer.from('504b0304140000000800', 'hex'), ErrorCode.UNSUPPORTED_TYPE],
    ['random binary', 'blob.txt', Buffer.from([0, 1, 2, 3, 250, 251, 0, 0]), ErrorCode.UNSUPPORTED_TYPE],
    ['invalid UTF-8', 'bad.txt', Buffer.from([0xc3, 0x28, 0x41]), ErrorCode.UNSUPPORTED_TYPE],
  ];
  it.each(refusals)('refuses %s with a clear error', async (_what, name, bytes, code) => {
    const err = await detectKind(bytes, name).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe(code);
    expect((err as AppError).message).toMatch(/\.|Supported/);
  });
});
