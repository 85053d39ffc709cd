/**
 * The audit log: an append-only history of every accepted change and every security event. Entries
 * are ordered by id, which sorts by time, so a query walks forward from a cursor and never needs
 * the whole history in memory.
 */
export type AuditOutcome = 'accepted' | 'refused';

export interface AuditActor {
  /** `participant` in a world room, `client` over REST, `system` for the server itself. */
  kind: 'participant' | 'client' | 'system';
  /** Session id for a participant, address for a REST client. */
  id: string;
  name?: string;
  ip?: string;
}

export interface AuditEntry {
  /** Time-ordered: entries sort by id in the order they were made. */
  id: string;
  at: string;
  worldId: string | null;
  actor: AuditActor;
  /** What was asked: an intent type (`grab`, `noteEdit`…), `join`, or `POST /workflows/:id` for REST. */
  action: string;
  outcome: AuditOutcome;
  /** The thing acted on. */
  target?: { type: string; id: string };
  /** Its relevant fields before and after, where the change has them. */
  before?: unknown;
  after?: unknown;
  /** Why a refusal happened, or a short note. */
  detail?: string;
  /**
   * How many times this happened, when more than once: repeats of one refusal (same actor, world,
   * action and reason) soon after its first entry are counted into one more entry, not stored each.
   */
  count?: number;
}

export interface AuditQuery {
  worldId?: string;
  actorId?: string;
  action?: string;
  outcome?: AuditOutcome;
  /** ISO times, inclusive. */
  from?: string;
  to?: string;
  /** Only entries after this id (the previous page's `next`). */
  after?: string;
  limit: number;
}

export interface AuditPage {
  entries: AuditEntry[];
  /** Pass as `after` for the next page; absent on the last one. */
  next?: string;
}

export interface AuditStore {
  append(entries: readonly AuditEntry[]): Promise<void>;
  query(q: AuditQuery): Promise<AuditPage>;
  /** Deletes up to `limit` of the oldest entries made before `before` (an ISO time); says how many. */
  prune(before: string, limit: number): Promise<number>;
}

/** Whether an entry passes the filters other than world and time (which backends use to seek). */
export function auditMatches(e: AuditEntry, q: AuditQuery): boolean {
  return (
    (q.actorId === undefined || e.actor.id === q.actorId) &&
    (q.action === undefined || e.action === q.action) &&
    (q.outcome === undefined || e.outcome === q.outcome) &&
    (q.worldId === undefined || e.worldId === q.worldId) &&
    (q.from === undefined || e.at >= q.from) &&
    (q.to === undefined || e.at <= q.to)
  );
}
