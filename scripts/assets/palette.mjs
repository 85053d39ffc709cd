/**
 * The colour palette every kit model shares: a small grid of flat cells, one per material look.
 * Three images in the same layout: the colour (sRGB), roughness and metalness (glTF's
 * metallicRoughness: G roughness, B metal) and emission, so a glossy screen, brushed metal and a
 * glowing bulb can sit in one model that still has one material. Metals are not fully metallic:
 * a fully metallic surface shows only reflections and turns black where a world has no environment map.
 */

/** Cells across and down; each cell is CELL_PX square. */
export const GRID = 8;
export const CELL_PX = 4;
export const SIDE = GRID * CELL_PX;

/**
 * name: [colour hex, roughness 0..1, metalness 0..1, emission hex (absent: none)].
 * Order fixes the cell positions; add new looks at the end so older models keep their UVs.
 */
const LOOKS = {
  woodLight: ['#c39a6b', 0.6, 0],
  woodDark: ['#6a4630', 0.55, 0],
  fabricBlue: ['#3d5a86', 0.95, 0],
  fabricGrey: ['#85898f', 0.95, 0],
  fabricGreen: ['#4b7456', 0.95, 0],
  metal: ['#b9bdc3', 0.35, 0.7],
  darkMetal: ['#3b3e44', 0.45, 0.5],
  black: ['#17181b', 0.6, 0],
  white: ['#f1f1ec', 0.35, 0],
  leafLight: ['#76ad4c', 0.8, 0],
  leafMid: ['#4d8b3b', 0.8, 0],
  leafDark: ['#2f6733', 0.8, 0],
  bark: ['#5b4131', 0.9, 0],
  terracotta: ['#b5603d', 0.85, 0],
  screenGlass: ['#0b1017', 0.08, 0],
  brass: ['#c09a45', 0.3, 0.8],
  soil: ['#3a2a1f', 1, 0],
  shade: ['#eee1c4', 0.9, 0, '#6b5f48'],
  bulb: ['#fff3d2', 0.3, 0, '#fff0cc'],
  red: ['#b23b33', 0.5, 0],
  blue: ['#2f5fa8', 0.5, 0],
  green: ['#3e6b48', 0.6, 0],
  yellow: ['#d7ae48', 0.6, 0],
  stone: ['#e6e3dc', 0.7, 0],
  charcoal: ['#2b2d31', 0.9, 0],
  aluminium: ['#d3d6da', 0.3, 0.6],
};

export const CELLS = Object.keys(LOOKS);

/** The UV at the centre of a named cell (glTF UVs: v grows downwards from the image's top row). */
export function uvOf(cell) {
  const i = CELLS.indexOf(cell);
  if (i < 0) throw new Error(`No palette cell named "${cell}"; the palette has: ${CELLS.join(', ')}`);
  return [((i % GRID) + 0.5) / GRID, (Math.floor(i / GRID) + 0.5) / GRID];
}

const hex = (h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16));

/** The three palette images as PNG bytes: colour, metallicRoughness, emission. */
export function paletteImages() {
  const byte = (v) => Math.round(v * 255);
  return {
    color: png(SIDE, (i) => hex(LOOKS[CELLS[i]][0])),
    metallicRoughness: png(SIDE, (i) => [0, byte(LOOKS[CELLS[i]][1]), byte(LOOKS[CELLS[i]][2])]),
    emissive: png(SIDE, (i) => hex(LOOKS[CELLS[i]][3] ?? '#000000')),
  };
}

/** Whether any cell glows: the models leave out the emissive image otherwise. */
export function glowingCells() {
  return CELLS.filter((c) => LOOKS[c][3] !== undefined);
}

/** An RGB PNG of `side`² pixels where each cell takes the colour `rgbOf(cell index)`; spare cells are mid grey. */
function png(side, rgbOf) {
  const rows = [];
  for (let y = 0; y < side; y++) {
    const row = [0]; // filter type: none
    for (let x = 0; x < side; x++) {
      const i = Math.floor(y / CELL_PX) * GRID + Math.floor(x / CELL_PX);
      row.push(...(i < CELLS.length ? rgbOf(i) : [128, 128, 128]));
    }
    rows.push(...row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: RGB
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', storedZlib(Buffer.from(rows))), chunk('IEND', Buffer.alloc(0))]);
}

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/**
 * A zlib stream of uncompressed ("stored") deflate blocks. The images are a few kilobytes, and
 * unlike a compressor's output these bytes can never change with the zlib Node ships, so the
 * generator stays byte-for-byte repeatable.
 */
function storedZlib(data) {
  const parts = [Buffer.from([0x78, 0x01])];
  for (let at = 0; at < data.length || at === 0; at += 65535) {
    const block = data.subarray(at, at + 65535);
    const head = Buffer.alloc(5);
    head[0] = at + 65535 >= data.length ? 1 : 0;
    head.writeUInt16LE(block.length, 1);
    head.writeUInt16LE(~block.length & 0xffff, 3);
    parts.push(head, block);
    if (data.length === 0) break;
  }
  let a = 1;
  let b = 0;
  for (const v of data) {
    a = (a + v) % 65521;
    b = (b + a) % 65521;
  }
  const adler = Buffer.alloc(4);
  adler.writeUInt32BE(((b << 16) | a) >>> 0, 0);
  parts.push(adler);
  return Buffer.concat(parts);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf) {
  let c = 0xffffffff;
  for (const v of buf) c = CRC_TABLE[(c ^ v) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
