/**
 * Opened page sources, one per content (kind + hash), shared by every panel showing that content.
 * Content is fetched the first time a panel asks; it is opened (laid out, parsed) only when a
 * panel is about to draw it (`open`), so that costly step runs in the order faces are drawn,
 * nearest first, instead of in the order downloads finish. Sources are kept while the world is open.
 */
import type { ContentStore } from '../net/content';
import { openPageSource, type PageSource, type PagedKind } from './pageSource';
import { textMeasurer } from './textSource';
import { FaceQueue, type Point } from './faceQueue';

const ORIGIN: Point = { x: 0, y: 0, z: 0 };

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
  /** Fetched content not opened yet, by key. */
  private readonly fetched = new Map<string, { kind: PagedKind; bytes: ArrayBuffer }>();
  /** One measurer for every text of the world: they share fonts and most words. */
  private readonly measure = textMeasurer();
  /**
   * Downloads asked for in this turn, and where their first asker stands. A world's documents are
   * asked for in one burst as it opens; they are sent at the end of the turn nearest the viewer
   * first, and the browser, which runs a few at a time per server, answers them in that order.
   */
  private readonly queued = new FaceQueue<string>();
  private readonly queuedLoads = new Map<string, { where: () => Point; start: () => void }>();
  private flushing = false;
  private disposed = false;

  constructor(
    private readonly content: ContentStore,
    /** Where the person stands, so the documents nearest them download first; none: in asking order. */
    private readonly viewer: () => Point | null = () => null,
  ) {}

  /** Where the source stands; asking starts loading it (`where`: where the asking panel stands). */
  state(ref: SourceRef, where: () => Point = () => ORIGIN): SourceState {
    const key = `${ref.kind}:${ref.contentHash}`;
    const known = this.states.get(key);
    if (known) return known;
    this.states.set(key, { status: 'loading' });
    this.pending.set(
      key,
      new Promise<void>((resolve) => {
        // load() records a failure as the state and never rejects
        this.queuedLoads.set(key, { where, start: () => void this.load(key, ref).then(resolve, resolve) });
        this.queued.add(key, 0);
      }),
    );
    if (!this.flushing) {
      this.flushing = true;
      queueMicrotask(() => this.startFetches());
    }
    return { status: 'loading' };
  }

  private startFetches(): void {
    this.flushing = false;
    while (this.queued.size && !this.disposed) {
      const key = this.queued.takeNearest(this.viewer() ?? ORIGIN, (k) => this.queuedLoads.get(k)?.where() ?? ORIGIN, Infinity);
      const load = key === null ? undefined : this.queuedLoads.get(key);
      if (!key || !load) return;
      this.queuedLoads.delete(key);
      load.start();
    }
  }

  /** Whether the content of `ref` is still on its way (neither fetched nor failed). */
  waiting(ref: SourceRef): boolean {
    const key = `${ref.kind}:${ref.contentHash}`;
    return this.states.get(key)?.status === 'loading' && !this.fetched.has(key);
  }

  /** Whether the content of `ref` is fetched and waits to be opened. */
  unopened(ref: SourceRef): boolean {
    return this.fetched.has(`${ref.kind}:${ref.contentHash}`);
  }

  /** Resolves when the content of `ref` has been fetched or has failed. */
  settled(ref: SourceRef): Promise<void> {
    return this.pending.get(`${ref.kind}:${ref.contentHash}`) ?? Promise.resolve();
  }

  private async load(key: string, ref: SourceRef): Promise<void> {
    try {
      const bytes = await this.content.bytes(ref.id, ref.contentHash);
      if (!this.disposed) this.fetched.set(key, { kind: ref.kind, bytes });
    } catch (err) {
      this.fail(key, err);
    } finally {
      this.pending.delete(key);
    }
  }

  /** Opens the fetched content of `ref`, if it is fetched and not opened yet; its state then says how it went. */
  async open(ref: SourceRef): Promise<void> {
    const key = `${ref.kind}:${ref.contentHash}`;
    const fetched = this.fetched.get(key);
    if (!fetched) return;
    this.fetched.delete(key);
    try {
      const source = await openPageSource(fetched.kind, fetched.bytes, this.measure);
      if (this.disposed) return source.dispose();
      this.states.set(key, { status: 'ready', source });
    } catch (err) {
      this.fail(key, err);
    }
  }

  private fail(key: string, err: unknown): void {
    this.states.set(key, { status: 'failed', message: err instanceof Error && err.message ? err.message : 'This document cannot be shown.' });
  }

  dispose(): void {
    this.disposed = true;
    this.fetched.clear();
    this.queuedLoads.clear();
    for (const s of this.states.values()) if (s.status === 'ready') s.source.dispose();
    this.states.clear();
  }
}
