/**
 * How a person looks, as data: the default look made from their colour, a safe reading of the look
 * a participant carries in the world state, the palettes the look editor offers, and the small steps
 * (next hair, next headwear…) a headset menu uses where there is no keyboard.
 */
import { AvatarLook } from '../protocol';

/** The longest look string read; a real look is ~130 characters, anything far longer is refused unread. */
export const MAX_LOOK_CHARS = 1024;

export const HAIR_STYLES = AvatarLook.shape.hair.options;
export const HEADWEAR = AvatarLook.shape.headwear.options;
export const GLASSES = AvatarLook.shape.glasses.options;

/** Shirt colours offered (a participant's own colour is added in front of these). */
export const SHIRT_PALETTE = ['#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#1aa5a5', '#f032e6', '#7a9a01', '#37474f', '#f5f5f0'] as const;
/** A range of skin tones, light to dark. */
export const SKIN_PALETTE = ['#f6d7c3', '#eac09f', '#d8a27c', '#c08560', '#9c6644', '#7a4b2f', '#5a3520', '#3d2416'] as const;
export const HAIR_PALETTE = ['#1c1410', '#3b2618', '#6b4226', '#a0652f', '#d9b26f', '#e8d9b0', '#8c8c8c', '#b23a2e', '#3b5bdb'] as const;

/** A small steady hash, so the same colour always picks the same skin and hair. */
function hashOf(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) >>> 0;
  return h;
}

/** The look of someone who chose none: a shirt in their colour, skin and hair picked steadily from it. */
export function defaultLook(colour: string): AvatarLook {
  const body = /^#[0-9a-fA-F]{6}$/.test(colour) ? colour.toLowerCase() : SHIRT_PALETTE[2];
  const h = hashOf(body);
  return {
    body,
    skin: SKIN_PALETTE[h % SKIN_PALETTE.length]!,
    hair: (['short', 'long', 'curly', 'bun'] as const)[(h >>> 3) % 4]!,
    hairColour: HAIR_PALETTE[(h >>> 5) % 6]!,
    headwear: 'none',
    glasses: 'none',
  };
}

/**
 * Reads a look from the world state or storage: '' or anything that is not a valid look (bad JSON,
 * unknown option, over-long) gives the default made from `colour`, never an error.
 */
export function parseLook(raw: string | null | undefined, colour: string): AvatarLook {
  if (!raw || raw.length > MAX_LOOK_CHARS) return defaultLook(colour);
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return defaultLook(colour);
  }
  const parsed = AvatarLook.safeParse(json);
  return parsed.success ? parsed.data : defaultLook(colour);
}

/** The look as the world state and storage carry it. */
export function lookToString(look: AvatarLook): string {
  return JSON.stringify(AvatarLook.parse(look));
}

export function sameLook(a: AvatarLook, b: AvatarLook): boolean {
  return a.body === b.body && a.skin === b.skin && a.hair === b.hair && a.hairColour === b.hairColour && a.headwear === b.headwear && a.glasses === b.glasses;
}

function nextOf<T>(options: readonly T[], current: T): T {
  return options[(options.indexOf(current) + 1) % options.length]!;
}

/** What a headset user can step through from the menu, one press at a time. */
export type LookStep = 'hair' | 'hairColour' | 'headwear' | 'glasses' | 'body' | 'skin';

/** The look with one part moved on to its next option (wrapping round). */
export function stepLook(look: AvatarLook, step: LookStep): AvatarLook {
  switch (step) {
    case 'hair':
      return { ...look, hair: nextOf(HAIR_STYLES, look.hair) };
    case 'hairColour':
      return { ...look, hairColour: nextOf<string>(HAIR_PALETTE, look.hairColour) };
    case 'headwear':
      return { ...look, headwear: nextOf(HEADWEAR, look.headwear) };
    case 'glasses':
      return { ...look, glasses: nextOf(GLASSES, look.glasses) };
    case 'body':
      return { ...look, body: nextOf<string>(SHIRT_PALETTE, look.body) };
    case 'skin':
      return { ...look, skin: nextOf<string>(SKIN_PALETTE, look.skin) };
  }
}
