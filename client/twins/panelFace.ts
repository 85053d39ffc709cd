/**
 * Draws a twin's panel on a canvas: its name and a close button, the value now and whether the
 * device is online, the alarm or the scale, the last hour as a chart (history from the server and
 * live readings, alarm bounds dashed), a line about the history, one button per command and what
 * became of the last one pressed. Layout in PANEL_PX pixels; the button rectangles are shared with
 * the pads that make them pressable.
 */
import { SANS } from '../content/fonts';
import { HOVER_COLOUR } from '../input/controlHover';
import { ALARM_RED, agoText, alarmText, buttonRow, chartRange, chartSpan, plot, scaleColour, statusText, valueText, withUnit, type ChartSample, type Rect, type TwinFacts } from './twinLook';
import { scaleOf } from '../../shared/model/iot';

export const PANEL_PX = { width: 1024, height: 800 } as const;
export const CLOSE_RECT: Rect = { x: 820, y: 22, w: 176, h: 70 };
const CHART: Rect = { x: 112, y: 286, w: 872, h: 280 };
export const HISTORY_MS = 3600_000;
/** The shortest time the chart spans. */
const SHORTEST_SPAN_MS = 120_000;

/** Where the command buttons go, for `count` commands. */
export const commandRects = (count: number): Rect[] => buttonRow(count, PANEL_PX.width - 80, 668, 84, 20, 300).map((r) => ({ ...r, x: r.x + 40 }));

export interface PanelView {
  facts: TwinFacts;
  series: readonly ChartSample[];
  /** The line under the chart: how much history, or why there is none. */
  historyNote: string;
  labels: readonly string[];
  outcome: { text: string; ok: boolean | null } | null;
  /** The button pointed at ('close', or a command's index), lit. */
  hovered: 'close' | number | null;
  now: number;
}

function fit(ctx: CanvasRenderingContext2D, text: string, max: number): string {
  if (ctx.measureText(text).width <= max) return text;
  let cut = text;
  while (cut.length > 1 && ctx.measureText(`${cut}…`).width > max) cut = cut.slice(0, -1);
  return `${cut.trimEnd()}…`;
}

function button(ctx: CanvasRenderingContext2D, r: Rect, label: string, lit: boolean, primary: boolean): void {
  ctx.fillStyle = lit ? '#4a5262' : primary ? '#2f5fb8' : '#2f3440';
  ctx.beginPath();
  ctx.roundRect(r.x, r.y, r.w, r.h, 16);
  ctx.fill();
  ctx.strokeStyle = lit ? HOVER_COLOUR : '#6b7384';
  ctx.lineWidth = lit ? 7 : 2;
  ctx.stroke();
  ctx.fillStyle = '#ffffff';
  let size = 36;
  do ctx.font = `bold ${size}px ${SANS}`;
  while (ctx.measureText(label).width > r.w - 24 && (size -= 2) >= 24);
  ctx.textAlign = 'center';
  ctx.fillText(fit(ctx, label, r.w - 24), r.x + r.w / 2, r.y + r.h / 2);
}

function drawChart(ctx: CanvasRenderingContext2D, v: PanelView): void {
  const t = v.facts;
  const span = { ...chartSpan(v.series, v.now, HISTORY_MS, SHORTEST_SPAN_MS), ...chartRange(t, v.series) };
  const { x, y, w, h } = CHART;
  ctx.fillStyle = '#14171d';
  ctx.fillRect(x, y, w, h);
  ctx.strokeStyle = '#3a404b';
  ctx.lineWidth = 2;
  ctx.strokeRect(x, y, w, h);
  ctx.font = `26px ${SANS}`;
  ctx.fillStyle = '#c3c9d3';
  ctx.textAlign = 'right';
  for (const value of [span.lo, span.hi]) ctx.fillText(withUnit(value, ''), x - 12, plot({ t: span.from, v: value }, span, CHART).y);
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const f of [0, 0.5, 1]) ctx.fillText(agoText((1 - f) * (span.to - span.from)), Math.min(x + w - 30, Math.max(x + 60, x + w * f)), y + h + 8);
  ctx.textBaseline = 'middle';
  // the alarm bounds, dashed, labelled on the right
  ctx.setLineDash([14, 10]);
  for (const [on, bound] of [[t.lowOn, t.low], [t.highOn, t.high]] as const) {
    if (!on) continue;
    const by = plot({ t: span.from, v: bound }, span, CHART).y;
    ctx.strokeStyle = ALARM_RED;
    ctx.beginPath();
    ctx.moveTo(x, by);
    ctx.lineTo(x + w, by);
    ctx.stroke();
  }
  ctx.setLineDash([]);
  const points = v.series.filter((p) => p.t >= span.from);
  // a bucket's spread (its lowest to highest reading) as a faint band behind the line
  ctx.fillStyle = 'rgba(120, 170, 255, 0.25)';
  for (const p of points) {
    if (p.min === undefined || p.max === undefined) continue;
    const top = plot({ t: p.t, v: p.max }, span, CHART);
    const bottom = plot({ t: p.t, v: p.min }, span, CHART);
    ctx.fillRect(top.x - 5, top.y, 10, Math.max(2, bottom.y - top.y));
  }
  ctx.strokeStyle = '#e8ecf2';
  ctx.lineWidth = 4;
  ctx.lineJoin = 'round';
  ctx.beginPath();
  points.forEach((p, i) => {
    const at = plot(p, span, CHART);
    if (i === 0) ctx.moveTo(at.x, at.y);
    else ctx.lineTo(at.x, at.y);
  });
  ctx.stroke();
  for (const p of points.slice(-60)) {
    const at = plot(p, span, CHART);
    ctx.fillStyle = scaleColour(scaleOf(t, p.v));
    ctx.beginPath();
    ctx.arc(at.x, at.y, 7, 0, Math.PI * 2);
    ctx.fill();
  }
}

/** Draws the panel for `v` on `ctx` (PANEL_PX in size). */
export function drawPanel(ctx: CanvasRenderingContext2D, v: PanelView): void {
  const t = v.facts;
  const { width: W, height: H } = PANEL_PX;
  ctx.fillStyle = '#1d2129';
  ctx.fillRect(0, 0, W, H);
  ctx.strokeStyle = t.alarm ? ALARM_RED : '#5b6270';
  ctx.lineWidth = t.alarm ? 10 : 4;
  ctx.strokeRect(ctx.lineWidth / 2, ctx.lineWidth / 2, W - ctx.lineWidth, H - ctx.lineWidth);
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'left';
  ctx.fillStyle = '#ffffff';
  ctx.font = `bold 50px ${SANS}`;
  ctx.fillText(fit(ctx, t.name || 'Device', CLOSE_RECT.x - 60), 40, 58);
  button(ctx, CLOSE_RECT, '✕ Close', v.hovered === 'close', false);

  ctx.textAlign = 'left';
  ctx.font = `bold 80px ${SANS}`;
  ctx.fillStyle = t.alarm ? '#ff6b63' : '#ffffff';
  const value = valueText(t);
  ctx.fillText(value, 40, 160);
  const valueW = ctx.measureText(value).width;
  ctx.font = `30px ${SANS}`;
  ctx.fillStyle = t.online ? '#3ecf6e' : '#ffd27a';
  ctx.fillText(fit(ctx, statusText(t), W - valueW - 130), valueW + 80, 160);

  const alarm = alarmText(t);
  if (alarm) {
    ctx.fillStyle = ALARM_RED;
    ctx.fillRect(40, 210, W - 80, 54);
    ctx.fillStyle = '#ffffff';
    ctx.font = `bold 36px ${SANS}`;
    ctx.fillText(fit(ctx, alarm, W - 120), 60, 237);
  } else {
    ctx.fillStyle = '#c3c9d3';
    ctx.font = `30px ${SANS}`;
    const bounds = [t.lowOn ? `below ${withUnit(t.low, t.unit)}` : '', t.highOn ? `above ${withUnit(t.high, t.unit)}` : ''].filter(Boolean).join(' or ');
    ctx.fillText(fit(ctx, `${t.metric} · scale ${withUnit(t.min, '')} to ${withUnit(t.max, t.unit)}${bounds ? ` · alarm ${bounds}` : ''}`, W - 80), 40, 237);
  }

  drawChart(ctx, v);
  ctx.textAlign = 'left';
  ctx.font = `28px ${SANS}`;
  ctx.fillStyle = '#c3c9d3';
  ctx.fillText(fit(ctx, v.historyNote, W - 80), 40, 640);

  commandRects(v.labels.length).forEach((r, i) => button(ctx, r, v.labels[i]!, v.hovered === i, true));
  if (!v.labels.length) ctx.fillText('This device takes no commands here.', 40, 710);
  if (v.outcome) {
    ctx.font = `bold 32px ${SANS}`;
    ctx.fillStyle = v.outcome.ok === true ? '#3ecf6e' : v.outcome.ok === false ? '#ff6b63' : '#ffd27a';
    ctx.textAlign = 'center';
    ctx.fillText(fit(ctx, v.outcome.text, W - 80), W / 2, 778);
  }
}
