import { describe, expect, it } from 'vitest';
import { kindName } from './kindNames';

describe('step kinds in words', () => {
  it("prefers the server's title, then the table, then the kind spelled out", () => {
    expect(kindName('ai_analysis', [{ kind: 'ai_analysis', title: 'Analyse it', description: 'From the server.' }])).toEqual({ title: 'Analyse it', description: 'From the server.' });
    expect(kindName('blockchain_anchor').title).toBe('Anchor on chain');
    expect(kindName('ai_analysis').title).not.toMatch(/[A-Z]{2}|_/);
    expect(kindName('custom_thing')).toEqual({ title: 'Custom thing', description: '' });
  });
});
