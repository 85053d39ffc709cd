/**
 * The pictures of reactions, a raised hand and the megaphone, drawn with the 2D canvas rather than
 * taken from an emoji font: they look the same in every browser and headset, and need no font the
 * device may not have. The same drawing serves the page's buttons and the 3D bursts.
 */
import type { Reaction } from '../../shared/protocol';

export type SocialIcon = Reaction | 'hand' | 'megaphone';

/** What each picture says, for buttons' labels and people who do not see it. */
export const ICON_LABELS: Record<SocialIcon, string> = {
  agree: 'Agree',
  heart: 'Love it',
  laugh: 'Laugh',
  wow: 'Wow',
  party: 'Celebrate',
  question: 'Question',
  hand: 'Raised hand',
  megaphone: 'Megaphone',
};

type Ctx = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;

/** Draws `icon` filling a square of side `size` at (x, y). */
export function drawIcon(ctx: Ctx, icon: SocialIcon, x: number, y: number, size: number): void {
  ctx.save();
  ctx.translate(x, y);
  ctx.scale(size / 100, size / 100);
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  DRAW[icon](ctx);
  ctx.restore();
}

const disc = (ctx: Ctx, fill: string) => {
  ctx.fillStyle = fill;
  ctx.beginPath();
  ctx.arc(50, 50, 46, 0, Math.PI * 2);
  ctx.fill();
  ctx.strokeStyle = 'rgba(0,0,0,0.25)';
  ctx.lineWidth = 3;
  ctx.stroke();
};

const eyes = (ctx: Ctx, closed: boolean) => {
  ctx.fillStyle = ctx.strokeStyle = '#3b2a12';
  if (closed) {
    ctx.lineWidth = 6;
    for (const cx of [34, 66]) {
      ctx.beginPath();
      ctx.arc(cx, 42, 8, Math.PI * 1.1, Math.PI * 1.9);
      ctx.stroke();
    }
    return;
  }
  for (const cx of [35, 65]) {
    ctx.beginPath();
    ctx.ellipse(cx, 38, 6, 9, 0, 0, Math.PI * 2);
    ctx.fill();
  }
};

const DRAW: Record<SocialIcon, (ctx: Ctx) => void> = {
  agree(ctx) {
    disc(ctx, '#2e9d4f');
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = 13;
    ctx.beginPath();
    ctx.moveTo(27, 52);
    ctx.lineTo(44, 69);
    ctx.lineTo(74, 33);
    ctx.stroke();
  },
  heart(ctx) {
    ctx.fillStyle = '#e0245e';
    ctx.strokeStyle = 'rgba(0,0,0,0.25)';
    ctx.lineWidth = 3;
    ctx.beginPath();
    ctx.moveTo(50, 90);
    ctx.bezierCurveTo(10, 62, 2, 40, 10, 24);
    ctx.bezierCurveTo(20, 6, 44, 8, 50, 28);
    ctx.bezierCurveTo(56, 8, 80, 6, 90, 24);
    ctx.bezierCurveTo(98, 40, 90, 62, 50, 90);
    ctx.closePath();
    ctx.fill();
    ctx.stroke();
  },
  laugh(ctx) {
    disc(ctx, '#ffcc33');
    eyes(ctx, true);
    ctx.fillStyle = '#7a2e12';
    ctx.beginPath();
    ctx.moveTo(24, 56);
    ctx.quadraticCurveTo(50, 60, 76, 56);
    ctx.quadraticCurveTo(72, 86, 50, 86);
    ctx.quadraticCurveTo(28, 86, 24, 56);
    ctx.fill();
  },
  wow(ctx) {
    disc(ctx, '#ffcc33');
    eyes(ctx, false);
    ctx.fillStyle = '#7a2e12';
    ctx.beginPath();
    ctx.ellipse(50, 69, 11, 15, 0, 0, Math.PI * 2);
    ctx.fill();
  },
  party(ctx) {
    // a burst: a star with confetti around it
    ctx.fillStyle = '#ff9f1c';
    ctx.strokeStyle = 'rgba(0,0,0,0.25)';
    ctx.lineWidth = 3;
    ctx.beginPath();
    for (let i = 0; i < 10; i++) {
      const r = i % 2 ? 17 : 40;
      const a = -Math.PI / 2 + (i * Math.PI) / 5;
      ctx[i ? 'lineTo' : 'moveTo'](50 + r * Math.cos(a), 52 + r * Math.sin(a));
    }
    ctx.closePath();
    ctx.fill();
    ctx.stroke();
    const bits: Array<[number, number, string]> = [
      [12, 16, '#2f6fde'],
      [88, 14, '#e0245e'],
      [8, 70, '#2e9d4f'],
      [92, 74, '#6c5ce7'],
      [50, 6, '#e0245e'],
      [28, 92, '#2f6fde'],
      [74, 92, '#2e9d4f'],
    ];
    for (const [bx, by, colour] of bits) {
      ctx.fillStyle = colour;
      ctx.beginPath();
      ctx.arc(bx, by, 5, 0, Math.PI * 2);
      ctx.fill();
    }
  },
  question(ctx) {
    disc(ctx, '#2f6fde');
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = 12;
    ctx.beginPath();
    ctx.arc(50, 38, 15, Math.PI * 1.05, Math.PI * 2.35);
    ctx.quadraticCurveTo(50, 52, 50, 60);
    ctx.stroke();
    ctx.fillStyle = '#fff';
    ctx.beginPath();
    ctx.arc(50, 77, 7, 0, Math.PI * 2);
    ctx.fill();
  },
  hand(ctx) {
    // an open palm, fingers up
    ctx.fillStyle = '#f4c27a';
    ctx.strokeStyle = '#8a5a1c';
    ctx.lineWidth = 4;
    const finger = (x: number, top: number) => {
      ctx.beginPath();
      ctx.roundRect(x, top, 13, 60 - top + 10, 6.5);
      ctx.fill();
      ctx.stroke();
    };
    finger(26, 18);
    finger(40, 8);
    finger(54, 10);
    finger(68, 20);
    // the thumb, out to the side
    ctx.save();
    ctx.translate(24, 62);
    ctx.rotate(-0.7);
    ctx.beginPath();
    ctx.roundRect(-7, -26, 14, 34, 7);
    ctx.fill();
    ctx.stroke();
    ctx.restore();
    ctx.beginPath();
    ctx.roundRect(25, 52, 57, 40, 14);
    ctx.fill();
    ctx.stroke();
  },
  megaphone(ctx) {
    ctx.fillStyle = '#d94c3d';
    ctx.strokeStyle = 'rgba(0,0,0,0.35)';
    ctx.lineWidth = 3;
    ctx.beginPath();
    ctx.moveTo(16, 40);
    ctx.lineTo(62, 18);
    ctx.lineTo(62, 82);
    ctx.lineTo(16, 60);
    ctx.closePath();
    ctx.fill();
    ctx.stroke();
    ctx.fillStyle = '#555';
    ctx.fillRect(8, 40, 10, 20);
    ctx.strokeStyle = '#d94c3d';
    ctx.lineWidth = 6;
    for (const r of [14, 26]) {
      ctx.beginPath();
      ctx.arc(66, 50, r, -0.6, 0.6);
      ctx.stroke();
    }
  },
};

/** The icon as a small image for the page's buttons and lists (a data: URL, drawn once per size). */
const urls = new Map<string, string>();
export function iconUrl(icon: SocialIcon, size = 48): string {
  const key = `${icon}@${size}`;
  let url = urls.get(key);
  if (!url) {
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = size;
    const ctx = canvas.getContext('2d');
    if (ctx) drawIcon(ctx, icon, 0, 0, size);
    url = canvas.toDataURL('image/png');
    urls.set(key, url);
  }
  return url;
}
