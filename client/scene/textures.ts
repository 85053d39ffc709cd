/**
 * Text drawn onto textures: document panels and small labels (name tags, holder badges). Canvas
 * text is rendered at a size that stays legible at a few metres, then mip-mapped.
 */
import type { Scene } from '@babylonjs/core/scene';
import { DynamicTexture } from '@babylonjs/core/Materials/Textures/dynamicTexture';
import { LineStyle, layoutBody, type Measure } from './panelText';

const FONT_FAMILY = 'system-ui, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif';
export const PANEL_TEXTURE = { width: 1024, height: 768 } as const;
const PAD = 48;
const TITLE_BAR = 140;
// large type: a panel is read from a few metres away, where 50 px is about 5 cm tall
const LINE_HEIGHT = 70;
const FONTS: Record<LineStyle, string> = {
  heading: `bold 56px ${FONT_FAMILY}`,
  bullet: `50px ${FONT_FAMILY}`,
  text: `50px ${FONT_FAMILY}`,
  gap: `50px ${FONT_FAMILY}`,
};

/** Readable text colour on a background: dark on light colours, white on dark ones. */
export function textColourOn(hex: string): string {
  const n = Number.parseInt(hex.replace('#', ''), 16);
  if (Number.isNaN(n)) return '#ffffff';
  const [r, g, b] = [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  return 0.299 * r + 0.587 * g + 0.114 * b > 150 ? '#1b1d22' : '#ffffff';
}

// Babylon types its context as a cross-platform subset; in the browser it is the real 2D context
function context2d(texture: DynamicTexture): CanvasRenderingContext2D {
  return texture.getContext() as unknown as CanvasRenderingContext2D;
}

function fitText(ctx: CanvasRenderingContext2D, text: string, maxWidth: number): string {
  if (ctx.measureText(text).width <= maxWidth) return text;
  let cut = text;
  while (cut && ctx.measureText(`${cut}…`).width > maxWidth) cut = cut.slice(0, -1);
  return `${cut.trimEnd()}…`;
}

/** Draws a document (title bar in the accent colour, body below) onto a texture. */
export function drawPanel(texture: DynamicTexture, title: string, body: string, accent: string): void {
  const ctx = context2d(texture);
  const { width, height } = PANEL_TEXTURE;
  ctx.fillStyle = '#fdfdfb';
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = accent;
  ctx.fillRect(0, 0, width, TITLE_BAR);
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'left';
  ctx.fillStyle = textColourOn(accent);
  ctx.font = `bold 72px ${FONT_FAMILY}`;
  ctx.fillText(fitText(ctx, title || 'Untitled', width - PAD * 2), PAD, TITLE_BAR / 2 + 2);

  const measure: Measure = (text, style) => {
    ctx.font = FONTS[style];
    return ctx.measureText(text).width;
  };
  const maxLines = Math.floor((height - TITLE_BAR - PAD * 1.5) / LINE_HEIGHT);
  const lines = layoutBody(title, body, width - PAD * 2, maxLines, measure);
  ctx.textBaseline = 'alphabetic';
  let y = TITLE_BAR + PAD + 40;
  for (const line of lines) {
    ctx.font = FONTS[line.style];
    ctx.fillStyle = line.style === LineStyle.HEADING ? '#111318' : '#2b2f36';
    if (line.text) ctx.fillText(line.text, PAD, y);
    y += line.style === LineStyle.GAP ? LINE_HEIGHT / 2 : LINE_HEIGHT;
  }
  texture.update();
}

export function createPanelTexture(scene: Scene, name: string): DynamicTexture {
  const texture = new DynamicTexture(name, { ...PANEL_TEXTURE }, scene, true);
  texture.anisotropicFilteringLevel = 8;
  return texture;
}

/** Label textures are this shape; label planes keep it so text is not stretched. */
export const LABEL_TEXTURE = { width: 768, height: 128 } as const;

/** A rounded label (name tag, holder badge) with a transparent surround. */
export function createLabelTexture(scene: Scene, name: string, text: string, background: string): DynamicTexture {
  const size = LABEL_TEXTURE;
  const texture = new DynamicTexture(name, { ...size }, scene, true);
  texture.hasAlpha = true;
  const ctx = context2d(texture);
  ctx.clearRect(0, 0, size.width, size.height);
  ctx.font = `bold ${Math.round(size.height * 0.46)}px ${FONT_FAMILY}`;
  const label = fitText(ctx, text, size.width - size.height * 0.6);
  const textWidth = ctx.measureText(label).width;
  const boxWidth = Math.min(size.width, textWidth + size.height * 0.6);
  const x = (size.width - boxWidth) / 2;
  ctx.fillStyle = background;
  ctx.beginPath();
  ctx.roundRect(x, 4, boxWidth, size.height - 8, size.height * 0.3);
  ctx.fill();
  ctx.fillStyle = textColourOn(background);
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText(label, size.width / 2, size.height / 2 + 2);
  texture.update();
  return texture;
}
