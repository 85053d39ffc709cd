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
    const got = await pool.read(makePdf(['First page.', 'Second page.']), 'two');
    clearInterval(ticker);
    expect(got).toEqual({ text: 'First page.\n\nSecond page.', pages: 2, pagesRead: 2, truncated: false });
    expect(ticks).toBeGreaterThan(0);
  });

  it("hands back the reader's refusal as the same AppError, not as a worker failure", async () => {
    const err = await pool.read(Buffer.from('%PDF-1.4\nnot really a pdf'), 'broken').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ status: 422, code: 'UNSUPPORTED_TYPE', message: expect.stringContaining('"broken"') });
  });
});
