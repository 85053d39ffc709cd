/**
 * `window.__dwc`: a read-only window into the running world for end-to-end tests (and curious
 * people). It reveals only what the page already shows, so it ships in production too.
 */
export interface ParticipantProbe {
  id: string;
  name: string;
  colour: string;
  head: [number, number, number];
}

export interface DocumentProbe {
  id: string;
  title: string;
  position: [number, number, number];
  heldBy: string;
}

export interface WorldProbe {
  ready(): boolean;
  sessionId(): string;
  participants(): ParticipantProbe[];
  documents(): DocumentProbe[];
  /** Viewport CSS pixel coordinates of a document's centre, or null when it is not in front of the eye. */
  screenPointOf(docId: string): { x: number; y: number } | null;
  avatarVisible(participantId: string): boolean;
  renderedFrames(): number;
}

declare global {
  interface Window {
    __dwc?: Readonly<WorldProbe>;
  }
}

/** Installs `window.__dwc`, answering from whichever world is open (or "not ready" in the lobby). */
export function installTestHook(current: () => WorldProbe | null): void {
  const hook: WorldProbe = {
    ready: () => current()?.ready() ?? false,
    sessionId: () => current()?.sessionId() ?? '',
    participants: () => current()?.participants() ?? [],
    documents: () => current()?.documents() ?? [],
    screenPointOf: (docId) => current()?.screenPointOf(docId) ?? null,
    avatarVisible: (participantId) => current()?.avatarVisible(participantId) ?? false,
    renderedFrames: () => current()?.renderedFrames() ?? 0,
  };
  Object.defineProperty(window, '__dwc', { value: Object.freeze(hook), configurable: false, writable: false });
}
