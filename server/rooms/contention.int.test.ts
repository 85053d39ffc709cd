import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../shared/protocol';
import { bootServer, type BootedServer } from '../testing/bootServer';
import { seededRandom } from '../../shared/random';
import { createWorld, joinWorld, until, type TestParticipant } from '../testing/clients';

let server: BootedServer;
beforeAll(async () => {
  server = await bootServer({ env: { LOG_LEVEL: 'warn' } });
});
afterAll(async () => {
  await server?.stop({ kill: true });
  server?.cleanup();
});

const CLIENTS = 20;
const ROUNDS = 60;
/** Which documents the clients reach for, and how long they back off; CONTENTION_SEED replays a run. */
const SEED = Number(process.env.CONTENTION_SEED ?? 20261202);

interface Hold {
  client: number;
  docId: string;
  lastPosition: [number, number, number];
  releasedAt: number;
}

/** One client's share of the hammering: grab a random document, move it, let go; repeat. */
async function hammer(p: TestParticipant, index: number, docIds: string[], holds: Hold[], violations: string[]): Promise<number> {
  // a generator per client, so each client's choices do not depend on how the others interleave
  const random = seededRandom(SEED + index);
  let attempts = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const docId = docIds[Math.floor(random() * docIds.length)]!;
    const errorsBefore = p.errors.length;
    p.sendRaw('grab', { type: 'grab', docId });
    attempts++;
    const granted = await until('grant or refusal', () => p.doc(docId)?.heldBy === p.room.sessionId || p.errors.length > errorsBefore, 3000).then(
      () => p.doc(docId)?.heldBy === p.room.sessionId,
    );
    if (!granted) {
      await new Promise((r) => setTimeout(r, random() * 20));
      continue;
    }
    let position: [number, number, number] = [0, 0, 0];
    for (let k = 0; k < 3; k++) {
      position = [index, round, k];
      p.sendRaw('move', { type: 'move', docId, position });
      attempts++;
      await new Promise((r) => setTimeout(r, 5));
      const holder = p.doc(docId)?.heldBy;
      if (holder !== p.room.sessionId) violations.push(`client ${index} lost ${docId} to ${holder} without releasing it`);
    }
    p.sendRaw('release', { type: 'release', docId });
    holds.push({ client: index, docId, lastPosition: position, releasedAt: performance.now() });
    await until('release to land', () => p.doc(docId)?.heldBy !== p.room.sessionId, 3000);
  }
  return attempts;
}

describe('contention', () => {
  it(`HOLD-3, LWW-3: ${CLIENTS} clients hammering the same documents never share a hold and lose no final position (seed ${SEED})`, async () => {
    const world = await createWorld(server.url);
    const clients = await Promise.all(Array.from({ length: CLIENTS }, (_, i) => joinWorld(server.url, world.id, `Bot ${i}`)));
    const docIds = clients[0]!.docIds();
    const holds: Hold[] = [];
    const violations: string[] = [];
    const attempts = (await Promise.all(clients.map((c, i) => hammer(c, i, docIds, holds, violations)))).reduce((a, b) => a + b, 0);
    await until('every document to be let go', () => docIds.every((id) => clients[0]!.doc(id)?.heldBy === ''));

    expect(attempts).toBeGreaterThan(1000);
    expect(violations).toEqual([]);
    // only grabs may be refused, and only because someone else held the document
    const refusals = clients.flatMap((c) => c.errors);
    expect(refusals.length).toBeGreaterThan(0);
    expect(new Set(refusals.map((e) => `${e.intent}:${e.code}`))).toEqual(new Set([`grab:${ErrorCode.HELD_BY_OTHER}`]));

    const observer = await joinWorld(server.url, world.id, 'Observer');
    for (const docId of docIds) {
      const last = holds.filter((h) => h.docId === docId).sort((a, b) => a.releasedAt - b.releasedAt).at(-1);
      const seen = observer.doc(docId)!;
      expect(seen.heldBy).toBe('');
      if (last) expect([seen.x, seen.y, seen.z]).toEqual(last.lastPosition);
    }
    await Promise.all([...clients, observer].map((c) => c.room.leave()));

    // and the final positions are what the store kept
    await server.stop();
    const again = await bootServer({ dataDir: server.dataDir });
    try {
      const check = await joinWorld(again.url, world.id, 'Check');
      for (const docId of docIds) {
        const last = holds.filter((h) => h.docId === docId).sort((a, b) => a.releasedAt - b.releasedAt).at(-1);
        const d = check.doc(docId)!;
        if (last) expect([d.x, d.y, d.z]).toEqual(last.lastPosition);
      }
      await check.room.leave();
    } finally {
      await again.stop();
    }
  });
});
