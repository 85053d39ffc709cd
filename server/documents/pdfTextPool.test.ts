import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { makePdf } from '../testing/fixtures';
import { PdfTextPool } from './pdfTextPool';

const pool = new PdfTextPool();
afterAll(() => pool.close());

describe('reading PDFs in a worker', () => {
  it('answers the same text as reading in-thread, while this thread keeps turning', async () => {
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 5);
    const got = await pool.read('two', async () => makePdf(['First page.', 'Second page.']), 'two');
    clearInterval(ticker);
    expect(got).toEqual({ text: 'First page.\n\nSecond page.', pages: 2, pagesRead: 2, truncated: false });
    expect(ticks).toBeGreaterThan(0);
  });

  it("hands back the reader's refusal as the same AppError, not as a worker failure", async () => {
    const err = await pool.read('broken', async () => Buffer.from('%PDF-1.4\nnot really a pdf'), 'broken').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ status: 422, code: 'UNSUPPORTED_TYPE', message: expect.stringContaining('"broken"') });
  });

  it('shares one reading between callers asking for the same content at once', async () => {
    let loads = 0;
    const load = async () => {
      loads++;
      return makePdf(['Shared.']);
    };
    const [a, b] = await Promise.all([pool.read('same', load, 'a'), pool.read('same', load, 'b')]);
    expect(a.text).toBe('Shared.');
    expect(b).toBe(a);
    expect(loads).toBe(1);
    // once done, the next caller reads again (the text is cached by the document service, not here)
    await pool.read('same', load, 'c');
    expect(loads).toBe(2);
  });

  it('moves a buffer of its own to the reader instead of copying it', async () => {
    const bytes = new Uint8Array(makePdf(['Moved.']));
    await pool.read('moved', async () => bytes, 'moved');
    expect(bytes.byteLength).toBe(0);
  });
});
