/**
 * The files pdf.js may ask for while reading a PDF (CMaps for CJK text, the standard fonts a PDF
 * names without embedding, the JPEG 2000 and JBIG2 decoders), bundled by Vite and served from our
 * own origin. pdf.js asks for them through this factory, never from a URL of its own choosing.
 */
type UrlTable = Record<string, string>;

// each file is emitted as an asset of the build (never inlined) and fetched only if a PDF needs it
const CMAPS = import.meta.glob('../../node_modules/pdfjs-dist/cmaps/*.bcmap', { query: '?url&no-inline', import: 'default', eager: true }) as UrlTable;
const FONTS = import.meta.glob('../../node_modules/pdfjs-dist/standard_fonts/*.{pfb,ttf}', { query: '?url&no-inline', import: 'default', eager: true }) as UrlTable;
const WASM = import.meta.glob('../../node_modules/pdfjs-dist/wasm/*.wasm', { query: '?url&no-inline', import: 'default', eager: true }) as UrlTable;

function byFileName(table: UrlTable): Map<string, string> {
  return new Map(Object.entries(table).map(([path, url]) => [path.slice(path.lastIndexOf('/') + 1), url]));
}

const TABLES: Record<string, Map<string, string>> = {
  cMapUrl: byFileName(CMAPS),
  standardFontDataUrl: byFileName(FONTS),
  wasmUrl: byFileName(WASM),
};

/** Passed to pdf.js as `BinaryDataFactory` (it constructs it with options we do not need). */
export class BundledBinaryData {
  async fetch({ kind, filename }: { kind: string; filename: string }): Promise<Uint8Array> {
    const url = TABLES[kind]?.get(filename);
    if (!url) throw new Error(`pdf.js asked for ${kind} "${filename}", which is not bundled`);
    const res = await fetch(url);
    if (!res.ok) throw new Error(`Could not load ${filename} (${res.status})`);
    return new Uint8Array(await res.arrayBuffer());
  }
}
