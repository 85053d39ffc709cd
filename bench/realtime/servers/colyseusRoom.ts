/**
 * Baseline 2: a stock Colyseus room on the same transport as ours, with a minimal schema (name and
 * three float32 poses per player) and no logic: a pose message is written into the state as it came,
 * and Colyseus's own patch loop sends it.
 */
import '../../../server/node20';
import { Room, Server, type Client } from '@colyseus/core';
import { WebSocketTransport } from '@colyseus/ws-transport';
import { schema, t, type SchemaType } from '@colyseus/schema';
import type { AddressInfo } from 'node:net';
import { TICK_MS, probe } from './listen';

const Pose = schema({ px: t.float32(), py: t.float32(), pz: t.float32(), qx: t.float32(), qy: t.float32(), qz: t.float32(), qw: t.float32() }, 'BenchPose');
type Pose = SchemaType<typeof Pose>;
const Player = schema({ name: t.string(), head: Pose, left: Pose, right: Pose }, 'BenchPlayer');
const Crowd = schema({ players: t.map(Player) }, 'BenchCrowd');
type Crowd = SchemaType<typeof Crowd>;

function set(p: Pose, a: number[], o: number): void {
  [p.px, p.py, p.pz, p.qx, p.qy, p.qz, p.qw] = [a[o]!, a[o + 1]!, a[o + 2]!, a[o + 3]!, a[o + 4]!, a[o + 5]!, a[o + 6]!];
}

class CrowdRoom extends Room<{ state: Crowd }> {
  override onCreate(): void {
    this.setState(new Crowd());
    this.patchRate = TICK_MS;
    this.maxClients = 5000;
    this.onMessage('pose', (client: Client, a: number[]) => {
      const p = this.state.players.get(client.sessionId);
      if (!p || !Array.isArray(a)) return;
      set(p.head, a, 0);
      set(p.left, a, 7);
      set(p.right, a, 14);
    });
  }
  override onJoin(client: Client, options: { name?: string }): void {
    const p = new Player();
    p.name = String(options?.name ?? '');
    this.state.players.set(client.sessionId, p);
  }
  override onLeave(client: Client): void {
    this.state.players.delete(client.sessionId);
  }
  override broadcastPatch(): boolean {
    return probe.time(() => super.broadcastPatch());
  }
}

const transport = new WebSocketTransport({ maxPayload: 64 * 1024 });
const server = new Server({
  transport,
  greet: false,
  express: (app) => {
    app.get('/probe', (_req, res) => void res.json(probe.read()));
  },
});
server.define('crowd', CrowdRoom);
await server.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
process.stdout.write(`LISTENING ${(transport.server!.address() as AddressInfo).port}\n`);
