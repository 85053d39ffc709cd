/** Who this browser is: the display name and avatar colour, remembered between visits. */
import { Colour, DisplayName } from '../../shared/protocol';
import { currentAccount } from '../net/account';

const NAME_KEY = 'dwc.name';
const COLOUR_KEY = 'dwc.colour';
const COLOURS = ['#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#1aa5a5', '#f032e6', '#7a9a01'] as const;

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    // storage can be disabled (private modes, sandboxed iframes); the page still works without it
    return null;
  }
}

function write(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    /* see read() */
  }
}

/** The remembered display name, or '' when none was chosen yet. */
export function savedName(): string {
  const parsed = DisplayName.safeParse(read(NAME_KEY) ?? '');
  return parsed.success ? parsed.data : '';
}

/**
 * The name a world shows for this browser: a signed-in person is always their account's username
 * (the server names them so), a guest the name they chose. '' when a guest has not chosen one yet.
 */
export function joinName(): string {
  return currentAccount()?.username ?? savedName();
}

/** Validates and remembers a display name; returns the cleaned name or an error to show. */
export function saveName(raw: string): { ok: true; name: string } | { ok: false; message: string } {
  const parsed = DisplayName.safeParse(raw);
  if (!parsed.success) return { ok: false, message: `Display name: ${parsed.error.issues[0]?.message ?? 'invalid'}.` };
  write(NAME_KEY, parsed.data);
  return { ok: true, name: parsed.data };
}

/** The remembered avatar colour; a random one is picked (and remembered) on the first visit. */
export function savedColour(): string {
  const stored = Colour.safeParse(read(COLOUR_KEY));
  if (stored.success) return stored.data;
  const colour = COLOURS[Math.floor(Math.random() * COLOURS.length)]!;
  write(COLOUR_KEY, colour);
  return colour;
}

export function saveColour(colour: string): void {
  if (Colour.safeParse(colour).success) write(COLOUR_KEY, colour);
}
