/** A PNG or JPEG as a one-page source at its own aspect ratio. */
import { newCanvas } from './canvas';
import type { PageSource } from './pageSource';

export async function openImage(bytes: ArrayBuffer): Promise<PageSource> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(new Blob([bytes]));
  } catch {
    throw new Error('This image cannot be decoded.');
  }
  const aspect = bitmap.width / Math.max(1, bitmap.height);
  return {
    pageCount: 1,
    pageAspect: () => Promise.resolve(aspect),
    renderPage: (_page, widthPx) => {
      const canvas = newCanvas(widthPx, widthPx / aspect);
      const ctx = canvas.getContext('2d')!;
      ctx.imageSmoothingQuality = 'high';
      ctx.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      return Promise.resolve(canvas);
    },
    dispose: () => bitmap.close(),
  };
}
