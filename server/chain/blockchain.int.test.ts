import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../shared/protocol';
import { bootServer, type BootedServer } from '../testing/bootServer';
import { createWorld } from '../testing/clients';
import { makePdf } from '../testing/fixtures';

const started: BootedServer[] = [];
afterEach(async () => {
  for (const s of started.splice(0)) await s.stop();
});
async function boot(dataDir?: string) {
  const s = await bootServer({ dataDir, timeoutMs: 40_000 });
  started.push(s);
  return s;
}

async function upload(base: string, worldId: string, name: string, bytes: Buffer) {
  const form = new FormData();
  form.set('world', worldId);
  form.set('file', new Blob([new Uint8Array(bytes)]), name);
  return ((await (await fetch(`${base}/api/v3/documents`, { method: 'POST', body: form })).json()) as any).document as { id: string; contentHash: string };
}

const json = async (res: Promise<Response>) => {
  const r = await res;
  return { status: r.status, body: (await r.json()) as any };
};
const post = (base: string, p: string, body: unknown) => json(fetch(`${base}/api/v3${p}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }));

describe('documents on the embedded dev chain', () => {
  it('anchors and verifies a document, catches a changed one, and still verifies after a restart', async () => {
    const first = await boot();
    const world = await createWorld(first.url);
    const contract = await upload(first.url, world.id, 'contract.pdf', makePdf(['Clause 1', 'Clause 2']));
    const memo = await upload(first.url, world.id, 'memo.md', Buffer.from('# Memo\n\nShip it.'));

    const anchored = await post(first.url, '/blockchain/anchor', { documentId: contract.id });
    expect(anchored.status).toBe(201);
    expect(anchored.body.proof).toMatchObject({ network: 'dev', hash: `0x${contract.contentHash}`, blockNumber: expect.any(Number) });
    const again = await post(first.url, '/blockchain/anchor', { documentId: contract.id });
    expect(again.body.proof.txHash).toBe(anchored.body.proof.txHash);

    const ok = await json(fetch(`${first.url}/api/v3/blockchain/verify/${contract.id}`));
    expect(ok.body.verification).toMatchObject({ anchored: true, unchanged: true, verified: true });
    const never = await json(fetch(`${first.url}/api/v3/blockchain/verify/${memo.id}`));
    expect(never.body.verification).toMatchObject({ anchored: false, verified: false });

    await post(first.url, '/blockchain/anchor', { documentId: memo.id });
    // someone edits the stored file behind the product's back
    writeFileSync(path.join(first.dataDir, 'blobs', memo.contentHash.slice(0, 2), memo.contentHash), '# Memo\n\nDo not ship it.');
    const tampered = await json(fetch(`${first.url}/api/v3/blockchain/verify/${memo.id}`));
    expect(tampered.body.verification).toMatchObject({ anchored: true, unchanged: false, verified: false });

    await first.stop();
    const second = await boot(first.dataDir);
    const later = await json(fetch(`${second.url}/api/v3/blockchain/verify/${contract.id}`));
    expect(later.body.verification).toMatchObject({ verified: true });
    expect(later.body.verification.proof.txHash).toBe(anchored.body.proof.txHash);
  });

  it('runs anchor and verify as workflow steps, and refuses what it cannot do with a reason', async () => {
    const server = await boot();
    const world = await createWorld(server.url);
    const doc = await upload(server.url, world.id, 'report.md', Buffer.from('# Report\n\nAll good.'));
    const wf = (
      await post(server.url, '/workflows', {
        worldId: world.id,
        definition: {
          name: 'Prove',
          steps: [
            { id: 'anchor', kind: 'blockchain_anchor', name: 'Anchor' },
            { id: 'verify', kind: 'blockchain_verify', name: 'Verify' },
          ],
        },
      })
    ).body.workflow;
    const run = (await post(server.url, `/workflows/${wf.id}/runs`, { input: { documentId: doc.id } })).body.run;
    let end: any;
    for (const deadline = Date.now() + 20_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
      end = (await json(fetch(`${server.url}/api/v3/runs/${run.id}`))).body.run;
      if (['succeeded', 'failed'].includes(end.status)) break;
    }
    expect(end.status).toBe('succeeded');
    expect(end.steps[0].output.hash).toBe(`0x${doc.contentHash}`);
    expect(end.steps[1].output.verified).toBe(true);

    expect((await post(server.url, '/blockchain/anchor', { documentId: doc.id, network: 'mainnet' })).status).toBe(400);
    const missing = await post(server.url, '/blockchain/anchor', { documentId: 'nosuchdoc' });
    expect([missing.status, missing.body.error.code]).toEqual([404, ErrorCode.NOT_FOUND]);
    expect((await post(server.url, '/blockchain/anchor', { doc: 1 })).status).toBe(400);
  });
});
