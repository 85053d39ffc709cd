import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import { afterAll, describe, expect, it } from 'vitest';
import { FileBlobStore } from './FileBlobStore';
import { LevelStore } from './LevelStore';

const dir = mkdtempSync(path.join(tmpdir(), 'dwc-durable-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('embedded store durability', () => {
  it('keeps every acknowledged write when the writing process is killed with SIGKILL mid-write', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/testing/storeWriter.ts', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let lastAck = 0;
    let errors = '';
    child.stderr.on('data', (d: Buffer) => (errors += d.toString()));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        const acks = [...d.toString().matchAll(/ack (\d+)/g)];
        if (acks.length) lastAck = Number(acks[acks.length - 1]![1]);
        if (lastAck >= 150) resolve();
      });
      child.once('exit', (code) => reject(new Error(`writer exited early (${code}): ${errors}`)));
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));

    const store = new LevelStore(path.join(dir, 'store'));
    const blobs = new FileBlobStore(path.join(dir, 'blobs'));
    await store.open();
    await blobs.open();
    try {
      const docs = new Map((await store.listDocuments('durable')).map((d) => [d.id, d]));
      for (let n = 1; n <= lastAck; n++) {
        const d = docs.get(`doc${n}`);
        expect(d, `acknowledged document ${n}`).toBeDefined();
        expect(d!.position[0]).toBe(n % 100);
        const content = await blobs.read(d!.contentHash);
        expect(content, `content of document ${n}`).toBeDefined();
        const bytes = await buffer(content!.stream);
        expect(createHash('sha256').update(bytes).digest('hex')).toBe(d!.contentHash);
      }
      // anything written after the last acknowledgement is either whole or absent
      for (const d of docs.values()) expect(d.title).toMatch(/^Document \d+$/);
    } finally {
      await store.close();
    }
  });
});
