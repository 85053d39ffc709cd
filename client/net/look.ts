/**
 * This person's look, kept between visits: in this browser for everyone, and with the account for a
 * signed-in person, so another browser signed in as them starts with the same look. The account's
 * look wins over this browser's when both exist; a look chosen as a guest is offered to an account
 * that has none yet.
 */
import { AvatarLook } from '../../shared/protocol';
import { MAX_LOOK_CHARS, defaultLook } from '../../shared/model/avatarLook';
import { currentAccount } from './account';
import { request } from './api';

const KEY = 'dwc.look';
const listeners = new Set<(look: AvatarLook) => void>();

/** The look this browser keeps, or null when none was chosen here. */
export function savedLook(): AvatarLook | null {
  let raw: string | null = null;
  try {
    raw = localStorage.getItem(KEY);
  } catch {
    // storage refused (private mode): no look kept
  }
  if (!raw || raw.length > MAX_LOOK_CHARS) return null;
  const parsed = AvatarLook.safeParse(safeJson(raw));
  return parsed.success ? parsed.data : null;
}

function safeJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return null;
  }
}

/** The look to show and to join with: the chosen one, or the default made from `colour`. */
export function lookOrDefault(colour: string): AvatarLook {
  return savedLook() ?? defaultLook(colour);
}

function keepHere(look: AvatarLook): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(look));
  } catch {
    /* see savedLook */
  }
  for (const l of listeners) l(look);
}

/** Called whenever the kept look changes (chosen here, or loaded from the account). */
export function onLookChange(listener: (look: AvatarLook) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Keeps a chosen look here and, when signed in, with the account; rejects when the account refused it. */
export async function saveLook(look: AvatarLook): Promise<void> {
  const checked = AvatarLook.parse(look);
  keepHere(checked);
  if (currentAccount()) await request<{ look: AvatarLook }>('/account/look', { method: 'PUT', body: JSON.stringify({ look: checked }) });
}

/**
 * After signing in (or on a page already signed in): takes the account's look when it has one,
 * otherwise gives the account this browser's. Returns the look to use now.
 */
export async function syncAccountLook(): Promise<AvatarLook | null> {
  if (!currentAccount()) return savedLook();
  const { look } = await request<{ look: unknown }>('/account/look');
  const parsed = AvatarLook.safeParse(look);
  if (parsed.success) {
    keepHere(parsed.data);
    return parsed.data;
  }
  const here = savedLook();
  if (here) await request('/account/look', { method: 'PUT', body: JSON.stringify({ look: here }) });
  return here;
}
