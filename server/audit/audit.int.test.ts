/**
 * The audit log end to end: people act in a world and over REST, and the log says who did what,
 * when, to what, from what to what — refusals included — filtered, paged, exported as CSV with
 * hostile text defused, and still there after a restart.
 */
import { Client } from '@colyseus/sdk';
import { beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, PROTOCOL_VERSION, WORLD_ROOM } from '../../shared/protocol';
import type { AuditEntry, AuditPage } from '../adapters/storage/AuditStore';
import { bootServer } from '../testing/bootServer';
import { createWorld, joinWorld, until } from '../testing/clients';
import { makePng } from '../testing/fixtures';
import { useServer } from '../testing/useServer';

// the audit log is for administrators (and world owners): this test reads it as one
const server = useServer({ env: { ADMIN_USERS: 'auditor' } });
let adminToken = '';
const asAdmin = () => ({ authorization: `Bearer ${adminToken}` });
beforeAll(async () => {
  const res = await fetch(`${server().url}/api/v3/auth/signup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'auditor', password: 'a long enough password' }) });
  adminToken = ((await res.json()) as { accessToken: string }).accessToken;
});
const HOSTILE = '=HYPERLINK("http://evil.example","click") <b>"quoted"</b>';

async function audit(query: string): Promise<AuditPage> {
  const res = await fetch(`${server().url}/api/v3/audit?${query}`, { headers: asAdmin() });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as AuditPage;
}

describe('audit log', () => {
  it('records who changed what in a world and over REST, refusals included, and serves it filtered, paged and as CSV', { timeout: 60_000 }, async () => {
    const world = await createWorld(server().url, { name: 'Audited', template: 'office' });
    const ann = await joinWorld(server().url, world.id, 'Ann');
    const bob = await joinWorld(server().url, world.id, 'Bob');
    const doc = ann.docIds()[0]!;
    // a copy: the state object itself follows every change
    const start = { ...ann.doc(doc)! };

    ann.sendRaw('grab', { type: 'grab', docId: doc });
    await until('Ann holds it', () => ann.doc(doc)?.heldBy === ann.room.sessionId);
    for (let i = 1; i <= 5; i++) ann.sendRaw('move', { type: 'move', docId: doc, position: [start.x + i * 0.2, start.y, start.z] });
    bob.sendRaw('grab', { type: 'grab', docId: doc });
    await until('Bob is refused', () => bob.errors.length === 1);
    ann.sendRaw('release', { type: 'release', docId: doc });
    await until('released', () => ann.doc(doc)?.heldBy === '');
    ann.sendRaw('noteAdd', { type: 'noteAdd', docId: doc, page: 1, u: 0.2, v: 0.3, text: HOSTILE });
    await until('the note', () => (ann.room.state as any).annotations.size === 1);
    const noteId = [...(ann.room.state as any).annotations.keys()][0] as string;
    bob.sendRaw('noteEdit', { type: 'noteEdit', noteId, text: 'Checked by Bob' });
    await until('the edit', () => (ann.room.state as any).annotations.get(noteId).text === 'Checked by Bob');
    bob.sendRaw('page', { type: 'page', docId: doc, page: -3 });
    await until('the invalid page refused', () => bob.errors.length === 2);
    const late = await new Client(server().url).joinOrCreate(WORLD_ROOM, { protocol: PROTOCOL_VERSION + 1, worldId: world.id, name: '=SUM(A1)+cmd' }).catch((e) => e);
    expect(late).toBeInstanceOf(Error);
    // a lying upload is refused over REST
    const form = new FormData();
    form.append('world', world.id);
    form.append('file', new Blob([new Uint8Array(makePng())]), 'report.pdf');
    expect((await fetch(`${server().url}/api/v3/documents`, { method: 'POST', body: form })).status).toBe(415);

    const { entries } = await audit(`world=${world.id}&limit=1000`);
    const line = (e: AuditEntry) => `${e.actor.name ?? e.actor.kind} ${e.action} ${e.outcome}`;
    expect(entries.map(line)).toEqual([
      'Ann join accepted',
      'Bob join accepted',
      'Ann grab accepted',
      'Bob grab refused',
      'Ann release accepted',
      'Ann noteAdd accepted',
      'Bob noteEdit accepted',
      'Bob page refused',
      '=SUM(A1)+cmd join refused',
      'client POST /api/v3/documents refused',
    ]);
    const ids = entries.map((e) => e.id);
    expect(ids).toEqual([...ids].sort());
    const [grab, refusedGrab, release, added, edited] = entries.slice(2, 7) as AuditEntry[];
    expect(grab!.target).toEqual({ type: 'document', id: doc });
    expect(refusedGrab!.detail).toContain(ErrorCode.HELD_BY_OTHER);
    const before = (release!.before as { position: number[] }).position;
    const after = (release!.after as { position: number[] }).position;
    expect(before[0]).toBeCloseTo(start.x, 2);
    expect(after[0]).toBeCloseTo(start.x + 1, 2);
    expect(added!.target).toEqual({ type: 'note', id: noteId });
    expect((added!.after as { text: string }).text).toBe(HOSTILE);
    expect(edited!.before).toEqual({ text: HOSTILE, colour: expect.any(String) });
    expect((edited!.after as { text: string }).text).toBe('Checked by Bob');
    expect(entries.at(-2)!.detail).toContain(ErrorCode.PROTOCOL_MISMATCH);
    expect(entries.at(-1)!.detail).toBe('415');
    for (const e of entries) expect(Date.parse(e.at)).toBeGreaterThan(Date.now() - 60_000);

    // filters: one person, one action, refusals only
    expect((await audit(`world=${world.id}&actor=${bob.room.sessionId}`)).entries.map(line)).toEqual(['Bob join accepted', 'Bob grab refused', 'Bob noteEdit accepted', 'Bob page refused']);
    expect((await audit(`world=${world.id}&action=grab`)).entries.map(line)).toEqual(['Ann grab accepted', 'Bob grab refused']);
    expect((await audit(`world=${world.id}&outcome=refused`)).entries).toHaveLength(4);
    expect((await audit(`world=${world.id}&from=${encodeURIComponent(entries[5]!.at)}&to=${encodeURIComponent(entries[6]!.at)}`)).entries.map((e) => e.id)).toEqual(
      entries.filter((e) => e.at >= entries[5]!.at && e.at <= entries[6]!.at).map((e) => e.id),
    );

    // paging by cursor walks the same entries
    const paged: AuditEntry[] = [];
    let after_: string | undefined;
    do {
      const page = await audit(`world=${world.id}&limit=3${after_ ? `&after=${after_}` : ''}`);
      paged.push(...page.entries);
      after_ = page.next;
    } while (after_);
    expect(paged.map((e) => e.id)).toEqual(ids);

    // the CSV export: a header, one row per entry, hostile text quoted and defused
    const csv = await fetch(`${server().url}/api/v3/audit?world=${world.id}&format=csv`, { headers: asAdmin() });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.headers.get('content-disposition')).toMatch(/attachment; filename="audit-\d{4}-\d{2}-\d{2}\.csv"/);
    const rows = (await csv.text()).trimEnd().split('\r\n');
    expect(rows[0]).toBe('id,at,worldId,actorKind,actorId,actorName,actorIp,action,outcome,targetType,targetId,before,after,detail,count');
    expect(rows).toHaveLength(entries.length + 1);
    const noteRow = rows.find((r) => r.includes('"noteAdd"'))!;
    expect(noteRow).toContain('"{""documentId""');
    expect(noteRow).toContain('=HYPERLINK(\\""http://evil.example\\""');
    // a name a spreadsheet would run as a formula is written as text
    const lateRow = rows.find((r) => r.includes('"join","refused"'))!;
    expect(lateRow).toContain('"\'=SUM(A1)+cmd"');
    expect(rows.some((r) => /(^|,)"[=+\-@]/.test(r))).toBe(false);

    // bad queries are refused with a reason
    for (const q of ['limit=0', 'limit=abc', 'outcome=maybe', 'from=yesterday', 'after=../../x', 'format=xml', 'surprise=1']) {
      const res = await fetch(`${server().url}/api/v3/audit?${q}`, { headers: asAdmin() });
      expect(res.status, q).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message, q).toMatch(/Invalid audit query/);
    }
    await ann.room.leave();
    await bob.room.leave();
  });

  it("writes nothing into a world's log for requests that only name it", async () => {
    const world = (await (await fetch(`${server().url}/api/v3/worlds`, { method: 'POST', headers: { 'content-type': 'application/json', ...asAdmin() }, body: JSON.stringify({ name: 'Closed', template: 'office', guestRole: 'none' }) })).json()) as { world: { id: string } };
    const id = world.world.id;
    const before = (await audit(`world=${id}&limit=1000`)).entries.length;
    const since = new Date().toISOString();
    const junk = JSON.stringify({ worldId: id, world: id, name: '=junk' });
    const json = { 'content-type': 'application/json' };
    // a guest: junk naming the world in the body and the query, and an upload and a workflow for it
    expect((await fetch(`${server().url}/api/v3/worlds?world=${id}`, { method: 'POST', headers: json, body: junk })).status).toBe(400);
    expect((await fetch(`${server().url}/api/v3/auth/signout?world=${id}`, { method: 'POST', headers: json, body: junk })).status).toBeGreaterThanOrEqual(400);
    const form = new FormData();
    form.append('world', id);
    form.append('file', new Blob(['words']), 'note.txt');
    expect((await fetch(`${server().url}/api/v3/documents`, { method: 'POST', body: form })).status).toBe(401);
    expect((await fetch(`${server().url}/api/v3/workflows`, { method: 'POST', headers: json, body: JSON.stringify({ worldId: id, template: 'review-approve' }) })).status).toBe(401);
    expect((await fetch(`${server().url}/api/v3/worlds/${id}/invites`, { method: 'POST', headers: json, body: JSON.stringify({ role: 'owner' }) })).status).toBe(401);
    expect((await audit(`world=${id}&limit=1000`)).entries).toHaveLength(before);
    // the refusals are still in the log, under no world
    const refused = (await audit(`outcome=refused&limit=1000&from=${encodeURIComponent(since)}`)).entries.filter((e) => e.action === 'POST /api/v3/workflows' || e.action === 'POST /api/v3/documents');
    expect(refused.length).toBeGreaterThanOrEqual(2);
    expect(refused.every((e) => e.worldId === null)).toBe(true);
  });

  it('keeps the log across a restart', { timeout: 60_000 }, async () => {
    const first = await bootServer({ env: { ADMIN_USERS: 'auditor' } });
    try {
      const world = await createWorld(first.url, { name: 'Kept', template: 'office' });
      const ann = await joinWorld(first.url, world.id, 'Ann');
      ann.sendRaw('grab', { type: 'grab', docId: ann.docIds()[0] });
      await until('held', () => ann.doc(ann.docIds()[0]!)?.heldBy === ann.room.sessionId);
      await ann.room.leave();
      await first.stop();
      const again = await bootServer({ dataDir: first.dataDir, env: { ADMIN_USERS: 'auditor' } });
      try {
        const signup = await fetch(`${again.url}/api/v3/auth/signup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'auditor', password: 'a long enough password' }) });
        const token = ((await signup.json()) as { accessToken: string }).accessToken;
        const res = await fetch(`${again.url}/api/v3/audit?world=${world.id}`, { headers: { authorization: `Bearer ${token}` } });
        const { entries } = (await res.json()) as AuditPage;
        expect(entries.map((e) => e.action)).toEqual(['join', 'grab', 'leave']);
      } finally {
        await again.stop();
      }
    } finally {
      first.cleanup();
    }
  });
});
