import { describe, expect, it } from 'vitest';
import type { WorkflowDefinition } from '../../shared/model/workflow';
import { MASK, keepSecrets, maskDefinition } from './secrets';

const def = (headers: Record<string, string>, id = 'hook', url = 'https://example.org/hook'): WorkflowDefinition => ({
  name: 'Notify',
  description: '',
  steps: [
    { id: 'wait', kind: 'delay', name: 'Wait', params: { ms: 1 } },
    { id, kind: 'webhook', name: 'Hook', params: { url, headers } },
  ],
});

describe('webhook header secrets', () => {
  it('are masked with their names kept, other parameters untouched', () => {
    const masked = maskDefinition(def({ Authorization: 'Bearer t', 'X-Team': 'ops' }));
    expect(masked.steps[1]!.params).toEqual({ url: 'https://example.org/hook', headers: { Authorization: MASK, 'X-Team': MASK } });
    expect(masked.steps[0]!.params).toEqual({ ms: 1 });
  });

  it('are kept from the stored step when sent back masked, and replaced when typed anew', () => {
    const stored = def({ Authorization: 'Bearer t', 'X-Team': 'ops' });
    const kept = keepSecrets(def({ Authorization: MASK, 'X-Team': 'dev' }), stored);
    expect(kept).toEqual({ ok: true, definition: def({ Authorization: 'Bearer t', 'X-Team': 'dev' }) });
  });

  it('refuse a masked value with nothing stored for it', () => {
    expect(keepSecrets(def({ Authorization: MASK }), undefined)).toMatchObject({ ok: false, message: expect.stringContaining('"Authorization"') });
    // another step's secret is not borrowed
    expect(keepSecrets(def({ Authorization: MASK }, 'other'), def({ Authorization: 'Bearer t' }))).toMatchObject({ ok: false });
  });

  it('are not carried to a URL of another origin: whoever may edit cannot redirect the stored token to themselves', () => {
    const stored = def({ Authorization: 'Bearer t' });
    expect(keepSecrets(def({ Authorization: MASK }, 'hook', 'https://attacker.example/steal'), stored)).toMatchObject({ ok: false, message: expect.stringContaining('type them again') });
    // another path on the same receiver keeps them
    expect(keepSecrets(def({ Authorization: MASK }, 'hook', 'https://example.org/other'), stored)).toMatchObject({ ok: true });
    // typing the value anew for the new address is fine
    expect(keepSecrets(def({ Authorization: 'Bearer mine' }, 'hook', 'https://attacker.example/steal'), stored)).toMatchObject({ ok: true });
  });
});
