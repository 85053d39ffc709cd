/**
 * A flat, front-on drawing of a look for the look editor: the same parts as the 3D body (shirt,
 * neck, head with eyes, hair, headwear, glasses) so what one picks is what others see.
 */
import type { AvatarLook } from '../../shared/protocol';

const TROUSERS = '#343a46';
const FRAME = '#22252b';

/** Draws `look` filling `canvas` (any size; drawn in a 200×240 frame scaled to fit). */
export function drawLook(canvas: HTMLCanvasElement, look: AvatarLook): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const s = Math.min(canvas.width / 200, canvas.height / 240);
  ctx.setTransform(s, 0, 0, s, (canvas.width - 200 * s) / 2, 0);
  ctx.clearRect(0, 0, 200, 240);
  const ellipse = (x: number, y: number, rx: number, ry: number, colour: string, from = 0, to = Math.PI * 2) => {
    ctx.fillStyle = colour;
    ctx.beginPath();
    ctx.ellipse(x, y, rx, ry, 0, from, to);
    ctx.fill();
  };
  const covered = look.headwear === 'cap' || look.headwear === 'beanie';
  // long hair falls behind the shoulders
  if (look.hair === 'long') ellipse(100, 92, 44, 58, look.hairColour);
  // torso with trousers below the belt, and the hands at the sides
  ctx.fillStyle = look.body;
  ctx.beginPath();
  ctx.roundRect(56, 118, 88, 112, 40);
  ctx.fill();
  ctx.fillStyle = TROUSERS;
  ctx.beginPath();
  ctx.roundRect(56, 196, 88, 34, [0, 0, 40, 40]);
  ctx.fill();
  for (const x of [40, 160]) ellipse(x, 196, 11, 14, look.skin);
  ctx.fillStyle = look.skin;
  ctx.fillRect(92, 100, 16, 22);
  // head
  ellipse(100, 72, 36, 40, look.skin);
  if (look.hair !== 'none' && !covered) {
    ellipse(100, 62, 38, 32, look.hairColour, Math.PI, Math.PI * 2);
    if (look.hair === 'curly') for (let i = 0; i < 7; i++) ellipse(64 + i * 12, 40 + Math.abs(3 - i) * 5, 10, 10, look.hairColour);
    if (look.hair === 'bun') ellipse(100, 26, 15, 13, look.hairColour);
  }
  for (const x of [86, 114]) {
    ellipse(x, 74, 7, 7, '#ffffff');
    ellipse(x, 75, 3.6, 3.6, '#1a1c22');
  }
  ellipse(100, 96, 7, 2.4, '#8a3a3f');
  if (look.headwear === 'cap') {
    ellipse(100, 58, 38, 28, look.body, Math.PI, Math.PI * 2);
    ellipse(100, 58, 46, 6, look.body, 0, Math.PI);
  } else if (look.headwear === 'beanie') {
    ellipse(100, 60, 38, 36, look.body, Math.PI, Math.PI * 2);
    ctx.fillStyle = look.body;
    ctx.fillRect(62, 52, 76, 12);
    ellipse(100, 22, 8, 8, look.body);
  } else if (look.headwear === 'headphones') {
    ctx.strokeStyle = '#2b2e35';
    ctx.lineWidth = 6;
    ctx.beginPath();
    ctx.ellipse(100, 72, 40, 44, 0, Math.PI, Math.PI * 2);
    ctx.stroke();
    for (const x of [60, 140]) ellipse(x, 74, 8, 14, '#2b2e35');
  }
  if (look.glasses !== 'none') {
    ctx.strokeStyle = FRAME;
    ctx.lineWidth = 2.5;
    for (const x of [86, 114]) {
      ctx.beginPath();
      if (look.glasses === 'square') ctx.rect(x - 10, 65, 20, 18);
      else ctx.ellipse(x, 74, 10, 10, 0, 0, Math.PI * 2);
      if (look.glasses === 'shades') {
        ctx.fillStyle = '#0c0d10';
        ctx.fill();
      }
      ctx.stroke();
    }
    ctx.beginPath();
    ctx.moveTo(96, 72);
    ctx.lineTo(104, 72);
    ctx.stroke();
  }
}
