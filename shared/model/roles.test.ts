import { describe, expect, it } from 'vitest';
import { INTENT_TYPES } from '../protocol';
import { INTENT_ROLE, WORLD_ACTION_ROLE, allowed, atLeast, explainRefusal } from './roles';

describe('world roles', () => {
  it('ROLE-1: orders roles: owner over editor over viewer, and no role is never enough', () => {
    expect(atLeast('owner', 'editor')).toBe(true);
    expect(atLeast('editor', 'editor')).toBe(true);
    expect(atLeast('viewer', 'editor')).toBe(false);
    expect(atLeast(null, 'viewer')).toBe(false);
  });

  it('ROLE-2, ROLE-3: lets a viewer look and talk but not move, annotate, edit or run anything', () => {
    const viewerMay = INTENT_TYPES.filter((t) => allowed('viewer', t));
    // moving one's own avatar, saying which neural inputs are on, changing one's own look and
    // talking (voice, chat, reactions, a raised hand) change nothing in the world
    expect(viewerMay).toEqual(['pose', 'neuralSources', 'avatar', 'voiceSignal', 'chat', 'react', 'hand']);
    // the host's voice controls are the owner's alone
    for (const t of INTENT_TYPES) expect(allowed('editor', t), t).toBe(t !== 'megaphone' && t !== 'muteAll');
    expect(INTENT_TYPES.filter((t) => !allowed('editor', t))).toEqual(['megaphone', 'muteAll']);
    for (const t of INTENT_TYPES) expect(allowed('owner', t), t).toBe(true);
    expect(allowed('viewer', 'read')).toBe(true);
    expect(allowed('editor', 'manageMembers')).toBe(false);
    expect(allowed('owner', 'readAudit')).toBe(true);
    expect(Object.keys(INTENT_ROLE)).toHaveLength(INTENT_TYPES.length);
    expect(Object.values(WORLD_ACTION_ROLE).every((r) => ['viewer', 'editor', 'owner'].includes(r))).toBe(true);
  });

  it('ROLE-6: explains a refusal in words a person can act on', () => {
    expect(explainRefusal('viewer', 'grab')).toBe('You are a viewer here: viewers can look and talk but cannot pick up documents. Ask the owner to make you an editor.');
    expect(explainRefusal('editor', 'manageMembers')).toBe('Only the owner of this world can manage who is in this world; you are an editor.');
    expect(explainRefusal(null, 'read')).toMatch(/not been let into this world.*invite/);
  });
});
