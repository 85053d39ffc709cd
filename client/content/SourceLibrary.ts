/**
 * Opened page sources, one per content (kind + hash), shared by every panel showing that content.
 * A source is opened the first time a panel asks and kept while the world is open.
 */
import type { ContentStore } from '../net/content';
import { openPageSource, type PageSource, type PagedKind } from './pageSource';

export type SourceState =
  | { status: 'loading' }
  | { status: 'ready'; source: PageSource }
  | { status: 'failed'; message: string };

export interface SourceRef {
  id: string;
  kind: PagedKind;
  contentHash: string;
}

export class SourceLibrary {
  private readonly states = new Map<string, SourceState>();
  private readonly pending = new Map<string, Promise<void>>();
  private disposed = false;

  constructor(private readonly content: ContentStore) {}

  /** Where the source stands; asking starts loading it. */
  state(ref: SourceRef): SourceState {
    const key = `${ref.kind}:${ref.contentHash}`;
    const known = this.states.get(key);
    if (known) return known;
    this.states.set(key, { status: 'loading' });
    this.pending.set(key, this.load(key, ref));
    return { status: 'loading' };
  }

  /** Resolves when the source of `ref` has loaded or failed. */
  settled(ref: SourceRef): Promise<void> {
    return this.pending.get(`${ref.kind}:${ref.contentHash}`) ?? Promise.resolve();
  }

  private async load(key: string, ref: SourceRef): Promise<void> {
    try {
      const bytes = await this.content.bytes(ref.id, ref.contentHash);
      const source = await openPageSource(ref.kind, bytes);
      if (this.disposed) return source.dispose();
      this.states.set(key, { status: 'ready', source });
    } catch (err) {
      this.states.set(key, { status: 'failed', message: err instanceof Error && err.message ? err.message : 'This document cannot be shown.' });
    } finally {
      this.pending.delete(key);
    }
  }

  dispose(): void {
    this.disposed = true;
    for (const s of this.states.values()) if (s.status === 'ready') s.source.dispose();
    this.states.clear();
  }
}
