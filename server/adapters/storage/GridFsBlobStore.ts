/** Document content in MongoDB GridFS, one file per content hash, for MONGODB_URI deployments. */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GridFSBucket, type Db } from 'mongodb';
import { isSha256, type BlobStore } from './BlobStore';

export class GridFsBlobStore implements BlobStore {
  private bucket!: GridFSBucket;

  constructor(private readonly db: () => Db) {}

  async open(): Promise<void> {
    this.bucket = new GridFSBucket(this.db(), { bucketName: 'content' });
  }

  async close(): Promise<void> {}

  private check(hash: string): string {
    if (!isSha256(hash)) throw new Error(`not a sha256 content name: ${hash.slice(0, 80)}`);
    return hash;
  }

  async has(hash: string): Promise<boolean> {
    return (await this.bucket.find({ filename: this.check(hash) }).limit(1).toArray()).length > 0;
  }

  async putFile(hash: string, sourcePath: string): Promise<void> {
    if (await this.has(hash)) return;
    await pipeline(createReadStream(sourcePath), this.bucket.openUploadStream(hash));
  }

  async putBytes(hash: string, bytes: Uint8Array): Promise<void> {
    if (await this.has(hash)) return;
    await pipeline(Readable.from([Buffer.from(bytes)]), this.bucket.openUploadStream(hash));
  }

  async read(hash: string) {
    const [file] = await this.bucket.find({ filename: this.check(hash) }).limit(1).toArray();
    if (!file) return undefined;
    return { size: file.length, stream: this.bucket.openDownloadStream(file._id) as unknown as Readable };
  }

  async delete(hash: string): Promise<void> {
    for (const file of await this.bucket.find({ filename: this.check(hash) }).toArray()) await this.bucket.delete(file._id);
  }
}
