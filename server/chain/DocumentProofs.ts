/**
 * Proofs for documents: anchors a document's content hash on chain, and verifies a document by
 * hashing its stored content again and checking that hash against the chain.
 */
import { createHash } from 'node:crypto';
import type { DocumentRecord } from '../../shared/model/documents';
import type { BlobStore } from '../adapters/storage/BlobStore';
import type { Store } from '../adapters/storage/Store';
import type { AnchorProof, ChainService } from './ChainService';

export interface Verification {
  documentId: string;
  title: string;
  network: string;
  /** The hash recorded when the document was stored. */
  contentHash: string;
  /** The hash of the content as it is stored now. */
  currentHash: string;
  /** False when the stored content no longer matches what was anchored. */
  unchanged: boolean;
  anchored: boolean;
  /** Anchored and unchanged: the document is provably the one anchored at proof.blockTime. */
  verified: boolean;
  proof: AnchorProof | null;
}

export class DocumentNotFound extends Error {
  override name = 'DocumentNotFound';
}

export class DocumentProofs {
  constructor(
    private readonly store: Store,
    private readonly blobs: BlobStore,
    private readonly chain: ChainService,
  ) {}

  private async document(id: string): Promise<DocumentRecord> {
    const doc = await this.store.getDocument(id);
    if (!doc) throw new DocumentNotFound(`There is no document "${id.slice(0, 64)}".`);
    return doc;
  }

  private async currentHash(doc: DocumentRecord): Promise<string> {
    const blob = await this.blobs.read(doc.contentHash);
    if (!blob) return '';
    const hash = createHash('sha256');
    for await (const chunk of blob.stream) hash.update(chunk as Buffer);
    return hash.digest('hex');
  }

  async anchor(documentId: string, network = this.chain.defaultNetwork): Promise<AnchorProof> {
    const doc = await this.document(documentId);
    const meta = JSON.stringify({ title: doc.title.slice(0, 200), kind: doc.kind, size: doc.size });
    return this.chain.anchor(doc.contentHash, meta, network);
  }

  async verify(documentId: string, network = this.chain.defaultNetwork): Promise<Verification> {
    const doc = await this.document(documentId);
    const [currentHash, proof] = await Promise.all([this.currentHash(doc), this.chain.lookup(doc.contentHash, network)]);
    const unchanged = currentHash === doc.contentHash;
    return {
      documentId,
      title: doc.title,
      network,
      contentHash: doc.contentHash,
      currentHash,
      unchanged,
      anchored: proof !== undefined,
      verified: unchanged && proof !== undefined,
      proof: proof ?? null,
    };
  }
}
