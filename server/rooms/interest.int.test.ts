import { afterEach, describe, expect, it } from 'vitest';
import { PoseMessage, decodeCrowd, decodeNear, type CrowdRecord, type NearRecord } from '../../shared/protocol/poseWire';
import { bootServer, type BootedServer } from '../testing/bootServer';
import { createWorld, joinWorld, until, type TestParticipant } from '../testing/clients';

const started: BootedServer[] = [];
afterEach(async () => {
  for (const s of started.splice(0)) await s.stop({ kill: true });
});

/** Everything binary a participant receives about others' poses. */
function listen(p: TestParticipant) {
  const near: NearRecord[] = [];
  const crowd: CrowdRecord[][] = [];
  p.room.onMessage(PoseMessage.NEAR, (b: Uint8Array) => near.push(...decodeNear(b)));
  p.room.onMessage(PoseMessage.CROWD, (b: Uint8Array) => crowd.push(decodeCrowd(b)));
  return { near, crowd };
}

const numberOf = (viewer: TestParticipant, who: TestParticipant) => (viewer.room.state as any).participants.get(who.room.sessionId).n as number;
const pose = (x: number, z: number) => ({ type: 'pose', head: [x, 1.6, z, 0, 0, 0, 1], left: [x + 0.2, 1.1, z, 0, 0, 0, 1], right: null });

describe('interest management in a crowded world', () => {
  it('sends full poses only from the nearest people, and everyone where everyone stands', async () => {
    const server = await bootServer({ env: { INTEREST_ABOVE: '2', INTEREST_NEAREST: '1', INTEREST_RADIUS: '50', POSE_SUMMARY_HZ: '5' } });
    started.push(server);
    const world = await createWorld(server.url);
    const ann = await joinWorld(server.url, world.id, 'Ann');
    const bob = await joinWorld(server.url, world.id, 'Bob');
    const cat = await joinWorld(server.url, world.id, 'Cat');
    const heard = listen(ann);
    await until('everyone to be in the state', () => (ann.room.state as any).participants.size === 3);
    ann.sendRaw('pose', pose(0, 0));
    bob.sendRaw('pose', pose(1, 0));
    cat.sendRaw('pose', pose(30, 0));
    // Bob is Ann's nearest: his full pose (hands included) comes to her
    await until('Bob\'s pose to reach Ann', () => heard.near.some((r) => r.n === numberOf(ann, bob) && r.head[0] === 1));
    const fromBob = heard.near.find((r) => r.n === numberOf(ann, bob))!;
    expect(fromBob.left?.[0]).toBeCloseTo(1.2, 5);
    // Cat is farther than Ann's one nearest: she shows in the summary only
    await until('Cat in the summary', () => heard.crowd.some((c) => c.some((r) => r.n === numberOf(ann, cat) && r.x === 30)));
    // until the first poses arrive, near sets come from where people spawned, which may put Cat
    // near Ann. Summaries go out at least 200 ms apart and near sets are recomputed every 250 ms,
    // before the summary of the same tick: two more summaries after the first one that shows
    // everyone where they posed mean the near sets have since been recomputed from the poses
    const where = [[ann, 0], [bob, 1], [cat, 30]] as const;
    const posed = (c: CrowdRecord[]) => where.every(([who, x]) => c.some((r) => r.n === numberOf(ann, who) && r.x === x));
    await until('two summaries after everyone stood where they posed', () => heard.crowd.filter(posed).length >= 3);
    cat.sendRaw('pose', pose(30, 1));
    bob.sendRaw('pose', pose(1, 0.5));
    await until('Cat\'s move in the summary', () => heard.crowd.some((c) => c.some((r) => r.n === numberOf(ann, cat) && r.z === 1)));
    await until('Bob\'s move to reach Ann', () => heard.near.some((r) => r.n === numberOf(ann, bob) && r.head[2] === 0.5));
    expect(heard.near.some((r) => r.n === numberOf(ann, cat) && r.head[2] === 1)).toBe(false);
    // and nobody is sent their own pose
    expect(heard.near.some((r) => r.n === numberOf(ann, ann))).toBe(false);
    expect([ann, bob, cat].flatMap((p) => p.errors)).toEqual([]);
    for (const p of [ann, bob, cat]) await p.room.leave();
  });
});
