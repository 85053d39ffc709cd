import { describe, expect, it } from 'vitest';
import { makePdf } from '../testing/fixtures';
import { PDF_TEXT_LIMITS, extractPdfText } from './pdfText';

describe('the text of a PDF', () => {
  it('reads every page in order, one paragraph a page', async () => {
    const got = await extractPdfText(makePdf(['First page.', 'Second page.', 'Third page.']), 'three');
    expect(got).toEqual({ text: 'First page.\n\nSecond page.\n\nThird page.', pages: 3, pagesRead: 3, truncated: false });
  });

  it('stops at the page and character limits and says it did', async () => {
    const pdf = makePdf(['One.', 'Two.', 'Three.', 'Four.']);
    expect(await extractPdfText(pdf, 'four', { ...PDF_TEXT_LIMITS, maxPages: 2 })).toEqual({ text: 'One.\n\nTwo.', pages: 4, pagesRead: 2, truncated: true });
    const short = await extractPdfText(pdf, 'four', { ...PDF_TEXT_LIMITS, maxChars: 8 });
    expect(short.text).toBe('One.\n\nTw');
    expect(short.truncated).toBe(true);
  });

  it('refuses a damaged file with a message naming it', async () => {
    await expect(extractPdfText(Buffer.from('%PDF-1.4\nnot really a pdf'), 'broken')).rejects.toMatchObject({ status: 422, message: expect.stringContaining('"broken"') });
  });
});
