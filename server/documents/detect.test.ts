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

/** Milliseconds `f` takes; hostile input used to take seconds here. */
async function took(f: () => unknown): Promise<number> {
  const start = performance.now();
  await f();
  return performance.now() - start;
}

async function* chunks(chunk: Buffer, count: number, pulled: { count: number }, last?: Buffer) {
  for (let i = 0; i < count; i++) {
    pulled.count++;
    yield chunk;
  }
  if (last) yield last;
}

describe('detecting hostile and large uploads', () => {
  it.each([
    ['100 KB of newlines', '\n'.repeat(100_000)],
    ['100 KB of blank lines with spaces', ' \n'.repeat(50_000)],
    ['200 KB of list markers', ' -'.repeat(100_000)],
    ['200 KB of digits', '1'.repeat(200_000)],
    ['a heading with 50,000 spaces', `#${' '.repeat(50_000)}x`],
    ['200 KB of braces', '{'.repeat(200_000)],
  ])('decides %s quickly', async (_what, text) => {
    expect(await took(() => detectKind(Buffer.from(text), 'upload'))).toBeLessThan(500);
  });

  it('stops reading a binary file after its first bytes', async () => {
    const png = makePng();
    const pulled = { count: 0 };
    const stream = chunks(Buffer.concat([png, Buffer.alloc(64 * 1024 - png.length)]), 10_000, pulled);
    expect(await detectKind(stream, 'big.png')).toEqual({ kind: 'image', mime: 'image/png' });
    expect(pulled.count).toBe(1);
  });

  it('checks every byte of a large text file without holding it', async () => {
    const line = Buffer.from(`${'- a line of a long list\n'.repeat(2730)}`.padEnd(64 * 1024, '.'));
    const before = process.memoryUsage();
    const pulled = { count: 0 };
    // 256 MB streamed through: kept whole it would show in the memory in use
    expect(await detectKind(chunks(line, 4096, pulled), 'notes')).toEqual({ kind: 'markdown', mime: 'text/markdown' });
    const after = process.memoryUsage();
    expect(pulled.count).toBe(4096);
    expect(after.arrayBuffers - before.arrayBuffers).toBeLessThan(64 * 1024 * 1024);

    const bad = detectKind(chunks(line, 100, { count: 0 }, Buffer.from([0xc3, 0x28])), 'notes.txt');
    await expect(bad).rejects.toMatchObject({ code: ErrorCode.UNSUPPORTED_TYPE });
    const nul = detectKind(chunks(line, 100, { count: 0 }, Buffer.from('text\u0000more')), 'notes.txt');
    await expect(nul).rejects.toMatchObject({ code: ErrorCode.UNSUPPORTED_TYPE });
  }, 60_000);

  it('knows a glTF model too large to parse whole from its first part', async () => {
    const head = Buffer.from(`{"asset": {"generator": "test", "version": "2.0"}, "buffers": [{"uri": "data:,${'A'.repeat(200_000)}"}]}`);
    expect(await detectKind(head, 'big.gltf')).toEqual({ kind: 'model', mime: 'model/gltf+json' });
    expect(await detectKind(Buffer.from(`{"data": "${'A'.repeat(200_000)}"}`), 'data.txt')).toEqual({ kind: 'text', mime: 'text/plain' });
  });
});
