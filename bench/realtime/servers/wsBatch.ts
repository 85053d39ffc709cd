/**
 * Baseline 1, the physical limit: a minimal `ws` server that keeps each sender's latest pose and,
 * once per tick, sends every changed pose to every client as one buffer. No validation, no state,
 * no per-client work beyond the send itself.
 */
import { WebSocketServer, type WebSocket } from 'ws';
import { TICK_MS, announce, probe, probeServer } from './listen';

const http = probeServer();
const wss = new WebSocketServer({ server: http });
const latest = new Map<WebSocket, Buffer>();

wss.on('connection', (ws) => {
  ws.on('message', (data, isBinary) => {
    if (isBinary) latest.set(ws, data as Buffer);
  });
  ws.on('close', () => latest.delete(ws));
});

setInterval(() => {
  if (latest.size === 0) return;
  probe.time(() => {
    const batch = Buffer.concat([...latest.values()]);
    latest.clear();
    for (const ws of wss.clients) if (ws.readyState === ws.OPEN) ws.send(batch, { binary: true });
  });
}, TICK_MS);

http.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => announce(http));
