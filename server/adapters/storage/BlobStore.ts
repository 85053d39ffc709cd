/** Content of documents, stored by its sha256 so that equal files are kept once. */
import type { Readable } from 'node:stream';

export interface BlobStore {
  open(): Promise<void>;
  close(): Promise<void>;
  /** Moves or copies the file at `sourcePath` in as the content named `hash`; idempotent. */
  putFile(hash: string, sourcePath: string): Promise<void>;
  putBytes(hash: string, bytes: Uint8Array): Promise<void>;
  /** Opens the content for reading, or undefined when there is none under that hash. */
  read(hash: string): Promise<{ size: number; stream: Readable } | undefined>;
  has(hash: string): Promise<boolean>;
  delete(hash: string): Promise<void>;
}

export const isSha256 = (hash: string) => /^[0-9a-f]{64}$/.test(hash);
