/**
 * Document content from `/api/v3/documents/:id/content`, fetched once per content hash: two panels
 * of the same file, or a page turned back and forth, never fetch it again.
 */
import { ApiError } from './api';
import { serverUrl } from './endpoint';
import { authHeaders } from './account';

export function contentUrl(docId: string): string {
  return `${serverUrl()}/api/v3/documents/${encodeURIComponent(docId)}/content`;
}

export class ContentStore {
  private readonly byHash = new Map<string, Promise<ArrayBuffer>>();

  /** The bytes of a document; rejects with an {@link ApiError} whose message can be shown. */
  bytes(docId: string, contentHash: string): Promise<ArrayBuffer> {
    const key = contentHash || `doc:${docId}`;
    let pending = this.byHash.get(key);
    if (!pending) {
      pending = this.fetch(docId);
      this.byHash.set(key, pending);
      // a failure is not cached: the next look may succeed (server back, network back)
      pending.catch(() => this.byHash.delete(key));
    }
    return pending;
  }

  private async fetch(docId: string): Promise<ArrayBuffer> {
    let res: Response;
    try {
      // a private world's documents are read as the signed-in account
      res = await fetch(contentUrl(docId), { headers: await authHeaders() });
    } catch {
      throw new ApiError('NETWORK', 'Cannot reach the server to load this document.', 0);
    }
    if (!res.ok) {
      const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
      throw new ApiError(body?.error?.code ?? 'HTTP', body?.error?.message ?? `Loading the document failed (${res.status}).`, res.status);
    }
    return res.arrayBuffer();
  }

  clear(): void {
    this.byHash.clear();
  }
}
