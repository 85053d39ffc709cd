/** One address may hold only so many realtime connections open; past that it is refused with the reason. */
import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { createWorld, joinWorld } from '../testing/clients';
import { useServer } from '../testing/useServer';

const MAX = 3;
const server = useServer({ env: { MAX_CONNECTIONS_PER_ADDRESS: String(MAX) } });

/** Opens a bare WebSocket; resolves with the HTTP status and body of a refused upgrade, or 101. */
function connect(): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${server().url.replace(/^http/, 'ws')}/`);
    ws.once('open', () => {
      ws.close();
      resolve({ status: 101, body: '' });
    });
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.once('error', (err) => reject(err));
  });
}

describe('realtime connections per address', () => {
  it(`refuses the connection past ${MAX} from one address with 429 and why, and lets one in again once another closes`, { timeout: 60_000 }, async () => {
    const world = await createWorld(server().url);
    const people = [];
    for (let i = 0; i < MAX; i++) people.push(await joinWorld(server().url, world.id, `Person ${i}`));

    const refused = await connect();
    expect(refused.status).toBe(429);
    expect(refused.body).toMatch(/too many connections from this address/i);
    await expect(joinWorld(server().url, world.id, 'One too many')).rejects.toThrow();
    // REST is limited per request rate, not by the open sockets: it still answers
    expect((await fetch(`${server().url}/api/v3/health`)).status).toBe(200);

    await people.pop()!.room.leave();
    // the count drops when the server sees the socket close, a moment after the leave
    let again: Awaited<ReturnType<typeof joinWorld>> | undefined;
    for (const deadline = Date.now() + 5000; !again && Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
      again = await joinWorld(server().url, world.id, 'Next in line').catch(() => undefined);
    }
    if (!again) throw new Error('no connection was let in after one closed');
    expect(again.room.sessionId).toBeTruthy();
    await again.room.leave();
    for (const p of people) await p.room.leave();
  });
});
