/**
 * Document content as files under the data directory, named by sha256 (blobs/ab/abcdef…). A file
 * is written beside its final name, synced, then renamed, so a crash never leaves half a file
 * under a content name.
 */
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { isSha256, type BlobStore } from './BlobStore';

export class FileBlobStore implements BlobStore {
  private readonly tmpDir: string;

  constructor(private readonly dir: string) {
    this.tmpDir = path.join(dir, 'tmp');
  }

  async open(): Promise<void> {
    await mkdir(this.tmpDir, { recursive: true });
    // leftovers of writes interrupted by a crash
    await rm(this.tmpDir, { recursive: true, force: true });
    await mkdir(this.tmpDir, { recursive: true });
  }

  async close(): Promise<void> {}

  /** Where the content named `hash` lives; refuses anything that is not a sha256 name. */
  private pathOf(hash: string): string {
    if (!isSha256(hash)) throw new Error(`not a sha256 content name: ${hash.slice(0, 80)}`);
    return path.join(this.dir, hash.slice(0, 2), hash);
  }

  async has(hash: string): Promise<boolean> {
    return stat(this.pathOf(hash)).then(
      () => true,
      () => false,
    );
  }

  async putFile(hash: string, sourcePath: string): Promise<void> {
    const target = this.pathOf(hash);
    if (await this.has(hash)) return;
    const tmp = path.join(this.tmpDir, `${hash}.${randomBytes(4).toString('hex')}`);
    await copyFile(sourcePath, tmp);
    await this.commit(tmp, target);
  }

  async putBytes(hash: string, bytes: Uint8Array): Promise<void> {
    const target = this.pathOf(hash);
    if (await this.has(hash)) return;
    const tmp = path.join(this.tmpDir, `${hash}.${randomBytes(4).toString('hex')}`);
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(bytes);
    } finally {
      await fh.close();
    }
    await this.commit(tmp, target);
  }

  private async commit(tmp: string, target: string): Promise<void> {
    const fh = await open(tmp, 'r+');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
    await mkdir(path.dirname(target), { recursive: true });
    await rename(tmp, target);
    const dirHandle = await open(path.dirname(target), 'r');
    try {
      await dirHandle.sync();
    } finally {
      await dirHandle.close();
    }
  }

  async read(hash: string) {
    const file = this.pathOf(hash);
    const info = await stat(file).catch(() => undefined);
    if (!info) return undefined;
    return { size: info.size, stream: createReadStream(file) };
  }

  async delete(hash: string): Promise<void> {
    await rm(this.pathOf(hash), { force: true });
  }
}
