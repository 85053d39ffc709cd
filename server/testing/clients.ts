/** Helpers for tests that talk to a real server through the real client SDK. */
import { Client, type Room } from '@colyseus/sdk';
import { PROTOCOL_VERSION, ServerEvent, WORLD_ROOM, type ChatHistory, type ChatMessage, type IntentError, type MutedEvent, type ReactionEvent, type VoiceConfig } from '../../shared/protocol';

export interface TestParticipant {
  room: Room;
  errors: IntentError[];
  /** The chat as this client heard it: the history sent on joining, then what was said. */
  chat: ChatMessage[];
  reactions: ReactionEvent[];
  muted: MutedEvent[];
  /** The STUN/TURN servers the room gave on joining (null until it has). */
  voiceConfig: VoiceConfig | null;
  /** The document as this client currently sees it. */
  doc(id: string): { x: number; y: number; z: number; heldBy: string; page: number; spread: number; kind: string } | undefined;
  /** Ids of the documents in the world, ordered by title so tests can name them. */
  docIds(): string[];
  /** Snapshot of everything this client sees, for before/after comparisons. */
  snapshot(): unknown;
  /** Sends exactly what a client may put on the wire, bypassing type checks. */
  sendRaw(type: string, payload: unknown): void;
}

export async function createWorld(baseUrl: string, body: unknown = { name: 'Test world', template: 'office' }): Promise<{ id: string }> {
  const res = await fetch(`${baseUrl}/api/v3/worlds`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (res.status !== 201) throw new Error(`creating a world failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { world: { id: string } }).world;
}

export async function joinWorld(baseUrl: string, worldId: string, name: string, extra: Record<string, unknown> = {}): Promise<TestParticipant> {
  const room = await new Client(baseUrl).joinOrCreate(WORLD_ROOM, { protocol: PROTOCOL_VERSION, worldId, name, ...extra });
  // listening from the start: the chat's history is sent as soon as one is seated
  const errors: IntentError[] = [];
  const chat: ChatMessage[] = [];
  const reactions: ReactionEvent[] = [];
  const muted: MutedEvent[] = [];
  room.onMessage('error', (e: IntentError) => errors.push(e));
  room.onMessage(ServerEvent.CHAT_HISTORY, (h: ChatHistory) => chat.unshift(...h.messages));
  room.onMessage(ServerEvent.CHAT, (m: ChatMessage) => chat.push(m));
  room.onMessage(ServerEvent.REACTION, (r: ReactionEvent) => reactions.push(r));
  room.onMessage(ServerEvent.MUTED, (m: MutedEvent) => muted.push(m));
  let voiceConfig: VoiceConfig | null = null;
  room.onMessage(ServerEvent.VOICE_CONFIG, (c: VoiceConfig) => (voiceConfig = c));
  // joinOrCreate resolves before the first full state arrives; tests start from a known state
  await until('the first state', () => (room.state as { documents?: unknown } | undefined)?.documents !== undefined);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const state = () => room.state as any;
  return {
    room,
    errors,
    chat,
    reactions,
    muted,
    get voiceConfig() {
      return voiceConfig;
    },
    doc: (id) => state().documents.get(id),
    docIds: () =>
      [...state().documents.values()]
        .sort((a: { title: string }, b: { title: string }) => a.title.localeCompare(b.title))
        .map((d: { id: string }) => d.id),
    snapshot: () => JSON.parse(JSON.stringify(state().toJSON())),
    sendRaw: (type, payload) => room.send(type, payload),
  };
}

/**
 * Polls every `everyMs` until `check` holds, or fails with `what` after `timeoutMs`. The check may
 * be async (a request to the server: poll those less often, they count against rate limits); one
 * that throws or rejects counts as not yet.
 */
export async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 5000, everyMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const holds = async () => {
    try {
      return await check();
    } catch {
      return false;
    }
  };
  while (!(await holds())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Waits long enough for a patch to have arrived had the server sent one (patch rate is 50 ms). */
export const settle = (ms = 250) => new Promise((r) => setTimeout(r, ms));

/** Uploads a Markdown document into a world over REST, as the client does; resolves with its id. */
export async function uploadMarkdown(baseUrl: string, worldId: string, fileName: string, markdown: string): Promise<string> {
  const form = new FormData();
  form.set('world', worldId);
  form.set('file', new Blob([new TextEncoder().encode(markdown)]), fileName);
  const res = await fetch(`${baseUrl}/api/v3/documents`, { method: 'POST', body: form });
  if (res.status !== 201) throw new Error(`uploading ${fileName} failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { document: { id: string } }).document.id;
}
