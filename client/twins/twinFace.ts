/**
 * Draws a twin's readout on a canvas: its name and whether its device is online, the alarm banner
 * (or the metric and scale), a dial with the colour scale, its alarm bounds and a needle, the value
 * in large type and when it was read. Sized to be read from two metres in a headset: the value is
 * about 8 cm tall on a 60 cm face. Text is only drawn with fillText, so a name is never interpreted.
 */
import { SANS } from '../content/fonts';
import { scaleOf } from '../../shared/model/iot';
import { ALARM_RED, alarmText, formatNumber, needleAngle, scaleColour, statusText, twinColour, valueText, withUnit, type TwinFacts } from './twinLook';

export const FACE_PX = { width: 768, height: 640 } as const;

const DIAL = { cx: 384, cy: 330, r: 150, width: 30, start: (5 * Math.PI) / 6, sweep: (4 * Math.PI) / 3 } as const;
const INK = '#ffffff';
const MUTED = '#c3c9d3';
const ONLINE_GREEN = '#3ecf6e';

/** The largest size of `sizes` at which `text` fits `max` pixels (bold), cut with an ellipsis when none does. */
function fitText(ctx: CanvasRenderingContext2D, text: string, max: number, sizes: readonly number[], weight = 'bold'): string {
  for (const px of sizes) {
    ctx.font = `${weight} ${px}px ${SANS}`;
    if (ctx.measureText(text).width <= max) return text;
  }
  let cut = text;
  while (cut.length > 1 && ctx.measureText(`${cut}…`).width > max) cut = cut.slice(0, -1);
  return `${cut.trimEnd()}…`;
}

/** What a face shows, kept for the test probe: the texts drawn and the colour worn. */
export interface DrawnFace {
  value: string;
  status: string;
  alarm: string;
  colour: string;
}

function drawDial(ctx: CanvasRenderingContext2D, t: TwinFacts): void {
  const { cx, cy, r, width, start, sweep } = DIAL;
  const steps = 48;
  ctx.lineWidth = width;
  ctx.lineCap = 'butt';
  // the dimmed scale before a reading or while the device is away, so no colour claims anything
  ctx.globalAlpha = t.at === 0 || !t.online ? 0.45 : 1;
  for (let i = 0; i < steps; i++) {
    ctx.strokeStyle = scaleColour((i + 0.5) / steps);
    ctx.beginPath();
    ctx.arc(cx, cy, r, start + (sweep * i) / steps, start + (sweep * (i + 1)) / steps + 0.01);
    ctx.stroke();
  }
  ctx.globalAlpha = 1;
  // the alarm bounds as red notches across the scale
  for (const [on, bound] of [[t.lowOn, t.low], [t.highOn, t.high]] as const) {
    if (!on) continue;
    const a = start + sweep * scaleOf(t, bound);
    ctx.strokeStyle = ALARM_RED;
    ctx.lineWidth = 8;
    ctx.beginPath();
    ctx.moveTo(cx + Math.cos(a) * (r - width), cy + Math.sin(a) * (r - width));
    ctx.lineTo(cx + Math.cos(a) * (r + width * 0.9), cy + Math.sin(a) * (r + width * 0.9));
    ctx.stroke();
  }
  ctx.fillStyle = MUTED;
  ctx.font = `30px ${SANS}`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const [a, v] of [[start, t.min], [start + sweep, t.max]] as const) ctx.fillText(formatNumber(v), cx + Math.cos(a) * r, cy + Math.sin(a) * r + width * 0.7);
  if (t.at !== 0) {
    const a = needleAngle(t, start, sweep);
    ctx.strokeStyle = INK;
    ctx.lineWidth = 10;
    ctx.lineCap = 'round';
    ctx.beginPath();
    ctx.moveTo(cx - Math.cos(a) * 22, cy - Math.sin(a) * 22);
    ctx.lineTo(cx + Math.cos(a) * (r - width * 0.2), cy + Math.sin(a) * (r - width * 0.2));
    ctx.stroke();
  }
  ctx.fillStyle = t.at === 0 ? MUTED : INK;
  ctx.beginPath();
  ctx.arc(cx, cy, 18, 0, Math.PI * 2);
  ctx.fill();
}

/** Draws the whole face for `t` on `ctx` (FACE_PX in size); returns what it shows. */
export function drawTwinFace(ctx: CanvasRenderingContext2D, t: TwinFacts): DrawnFace {
  const { width: w, height: h } = FACE_PX;
  const colour = twinColour(t);
  const alarm = alarmText(t);
  const value = valueText(t);
  const status = statusText(t);
  ctx.clearRect(0, 0, w, h);
  ctx.fillStyle = '#1b1f27';
  ctx.beginPath();
  ctx.roundRect(0, 0, w, h, 36);
  ctx.fill();
  ctx.strokeStyle = colour;
  ctx.lineWidth = 12;
  ctx.beginPath();
  ctx.roundRect(6, 6, w - 12, h - 12, 32);
  ctx.stroke();

  // name, and whether the device is there
  ctx.textBaseline = 'middle';
  ctx.font = `bold 30px ${SANS}`;
  const mark = t.online ? 'online' : 'offline';
  const markW = ctx.measureText(mark).width + 34;
  ctx.fillStyle = t.online ? ONLINE_GREEN : MUTED;
  ctx.beginPath();
  ctx.arc(w - 36 - markW + 10, 50, 10, 0, Math.PI * 2);
  ctx.fill();
  ctx.textAlign = 'right';
  ctx.fillText(mark, w - 36, 50);
  ctx.fillStyle = INK;
  ctx.textAlign = 'left';
  ctx.fillText(fitText(ctx, t.name || 'Device', w - 100 - markW, [48, 42, 36]), 36, 50);

  // the alarm banner with the bound it broke, or what is measured on what scale
  if (alarm) {
    ctx.fillStyle = ALARM_RED;
    ctx.fillRect(18, 90, w - 36, 62);
    ctx.fillStyle = INK;
    ctx.textAlign = 'center';
    ctx.fillText(fitText(ctx, alarm, w - 70, [44, 40, 36]), w / 2, 122);
  } else {
    ctx.fillStyle = MUTED;
    ctx.textAlign = 'center';
    ctx.font = `32px ${SANS}`;
    ctx.fillText(fitText(ctx, `${t.metric} · ${formatNumber(t.min)} to ${withUnit(t.max, t.unit)}`, w - 70, [32, 28], ''), w / 2, 122);
  }

  drawDial(ctx, t);

  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillStyle = t.alarm ? '#ff6b63' : t.online ? INK : MUTED;
  ctx.fillText(fitText(ctx, value, w - 80, [104, 92, 80, 68]), w / 2, 520);
  ctx.fillStyle = t.at === 0 || !t.online ? '#ffd27a' : MUTED;
  ctx.fillText(fitText(ctx, status, w - 80, [34, 30, 26], ''), w / 2, 596);
  return { value, status, alarm, colour };
}
