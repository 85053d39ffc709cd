import { describe, expect, it, vi } from 'vitest';
import { ErrorCode, ServerEvent, WorldClose } from '../../../shared/protocol';
import type { RunSummary } from '../../../shared/model/runs';
import { PoseMessage } from '../../../shared/protocol/poseWire';
import { documentRecord, fakeCore } from '../../testing/worldCore';

const run = (id: string, status: string, updatedAt: number): RunSummary => ({
  id,
  workflowId: 'wf1',
  version: 1,
  status,
  priority: 'normal',
  documentId: '',
  updatedAt,
  steps: [{ id: 's1', status: status === 'waiting' ? 'waiting' : 'running', attempt: 1 }],
});
const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('world core: changes made elsewhere', () => {
  it('SYNC-3: applies changes made while the world was being read once it opens, the latest summary of each run', async () => {
    const w = await fakeCore({ documents: ['d1'], opened: false });
    w.core.worldEvent({ type: 'runChanged', run: run('r1', 'running', 1) });
    w.core.worldEvent({ type: 'documentRemoved', documentId: 'd1' });
    w.core.worldEvent({ type: 'runChanged', run: run('r1', 'waiting', 2) });
    expect(w.core.state.runs.size).toBe(0);
    expect(w.core.state.documents.has('d1')).toBe(true);
    w.core.open();
    await settled();
    expect(w.core.state.runs.get('r1')?.status).toBe('waiting');
    expect(w.core.state.documents.has('d1')).toBe(false);
    // an older summary arriving late changes nothing
    w.core.worldEvent({ type: 'runChanged', run: run('r1', 'running', 1) });
    await settled();
    expect(w.core.state.runs.get('r1')?.status).toBe('waiting');
  });

  it('puts a finished upload in place of its draft, keeping where the draft was moved', async () => {
    const w = await fakeCore();
    w.core.worldEvent({ type: 'documentDraft', document: documentRecord('d9'), body: 'half' });
    await settled();
    w.core.state.documents.get('d9')!.x = 3;
    w.core.worldEvent({ type: 'documentAdded', document: { ...documentRecord('d9'), title: 'Done' } });
    await settled();
    expect(w.core.state.documents.get('d9')).toMatchObject({ title: 'Done', x: 3 });
  });

  it('ROLE-5, HOLD-6: a member made a viewer is told at once and puts down what they held', async () => {
    const w = await fakeCore({ documents: ['d1'], roles: { u1: 'viewer' } });
    const ann = w.join('a', 'Ann', 0, { userId: 'u1' });
    w.core.intent(ann, 'grab', { type: 'grab', docId: 'd1' }, 1);
    expect(w.core.state.documents.get('d1')!.heldBy).toBe('a');
    w.core.worldEvent({ type: 'accessChanged', userId: 'u1', removed: false });
    await settled();
    expect(w.core.state.participants.get('a')!.role).toBe('viewer');
    expect(ann.identity?.role).toBe('viewer');
    expect(w.core.state.documents.get('d1')!.heldBy).toBe('');
    expect(w.sent.filter((s) => s.type === ServerEvent.ROLE).map((s) => [s.to, (s.message as { role: string }).role])).toEqual([['a', 'viewer']]);
  });

  it('ROLE-5: a removed member is disconnected with the reason and keeps no seat', async () => {
    const w = await fakeCore();
    w.join('a', 'Ann', 0, { userId: 'u1' });
    w.join('b', 'Bob', 0);
    w.core.worldEvent({ type: 'accessChanged', userId: 'u1', removed: true });
    await settled();
    expect(w.left).toEqual([{ id: 'a', code: WorldClose.REMOVED, reason: expect.stringContaining('Atelier') }]);
    expect(w.core.drop('a')).toBe(false);
  });

  it('closes every connection of a sign-in that ended, and only those', async () => {
    const w = await fakeCore();
    w.join('a', 'Ann', 0, { userId: 'u1' });
    w.join('b', 'Bob', 0, { userId: 'u2' });
    w.core.sessionEnded({ userId: 'u1', familyId: 'f1' });
    expect(w.left.map((l) => [l.id, l.code])).toEqual([['a', WorldClose.SIGNED_OUT]]);
    expect(w.core.drop('a')).toBe(false);
    expect(w.core.drop('b')).toBe(true);
  });
});

describe('world core: commands', () => {
  it('charges a run started in the world to the person who started it', async () => {
    const w = await fakeCore();
    const ann = w.join('a', 'Ann', 0, { userId: 'u1' });
    w.core.applyAll([{ op: 'runStart', workflowId: 'wf1', priority: 'normal', by: 'Ann' }], ann);
    await settled();
    expect(w.calls.charged).toEqual([{ kind: 'account', userId: 'u1' }]);
    expect(w.calls.started).toEqual([{ workflowId: 'wf1', opts: { input: { worldId: 'w1', startedBy: 'Ann' }, priority: 'normal' } }]);
  });

  it('RUN-8: refuses an answer to a run that is no longer waiting, and records a guest who answers as a guest', async () => {
    const w = await fakeCore();
    const guest = w.join('g', 'Gus', 0);
    w.core.applyAll([{ op: 'runProgress', run: run('r1', 'running', 1) }]);
    w.core.applyAll([{ op: 'runAnswer', runId: 'r1', approved: true, comment: '', by: 'Gus' }], guest);
    await settled();
    expect(w.errors('g')).toEqual([ErrorCode.RUN_NOT_WAITING]);
    w.core.applyAll([{ op: 'runProgress', run: run('r1', 'waiting', 2) }]);
    w.core.applyAll([{ op: 'runAnswer', runId: 'r1', approved: true, comment: '', by: 'Gus' }], guest);
    await settled();
    expect(w.calls.signals).toEqual([['r1', 's1', { approved: true, by: 'Gus (guest)', comment: '' }, expect.any(String)]]);
  });

  it('answers neural commands one at a time, in the order they came', async () => {
    const w = await fakeCore();
    const ann = w.join('a', 'Ann', 0);
    const command = { op: 'neuralCommand' as const, command: 'approve' as const, confidence: 0.9, source: 'eeg' as const, by: 'a' };
    // the first takes longer to judge than the second: its answer still comes first
    w.core.applyAll([command], ann);
    w.core.applyAll([{ ...command, runId: 'r1' }], ann);
    const answers = () => w.sent.filter((s) => s.to === 'a' && s.type !== ServerEvent.CHAT_HISTORY && s.type !== ServerEvent.VOICE_CONFIG).map((s) => s.type);
    await vi.waitFor(() => expect(answers()).toHaveLength(2));
    expect(answers()).toEqual([ServerEvent.ERROR, ServerEvent.NEURAL_ACCEPTED]);
  });
});

describe('world core: crowded worlds', () => {
  it('keeps poses out of the state while crowded, sends the near ones, and hands them back when the crowd thins', async () => {
    const w = await fakeCore({ interest: { nearest: 1, above: 2, radius: 10, summaryMs: 1000 } });
    w.core.world.capacity = 3;
    const peers = ['a', 'b', 'c'].map((id) => w.join(id, id, 0));
    w.core.afterPatch(['a', 'b', 'c'], 0);
    w.core.intent(peers[0]!, 'pose', { type: 'pose', head: [1, 1.6, 1, 0, 0, 0, 1], left: null, right: null }, 1);
    expect(w.core.state.participants.get('a')!.head.pz).not.toBe(1);
    w.core.afterPatch(['a', 'b', 'c'], 300);
    expect(w.sent.some((s) => s.type === PoseMessage.NEAR)).toBe(true);
    expect(w.sent.some((s) => s.to === '*' && s.type === PoseMessage.CROWD)).toBe(true);
    w.core.leave('c');
    w.core.afterPatch(['a', 'b'], 400);
    expect(w.core.state.participants.get('a')!.head.pz).toBe(1);
  });
});

describe('world core: uploaded prop models', () => {
  const model = (worldId: string) => ({ id: 'u-0123456789ab', worldId, name: 'Crate', contentHash: 'f'.repeat(64), size: 10, triangles: 12, uploadedBy: 'ann', createdAt: '' });

  it('offers a model uploaded over REST at once: props of its kind may be placed', async () => {
    const w = await fakeCore();
    const ann = w.join('a', 'Ann', 0);
    w.core.intent(ann, 'propAdd', { type: 'propAdd', kind: 'u-0123456789ab', position: [0, 0, 0] }, 1);
    expect(w.errors('a')).toEqual([ErrorCode.PROP_KIND_UNKNOWN]);
    w.core.worldEvent({ type: 'propModelAdded', model: model('w1') });
    await vi.waitFor(() => expect(w.core.state.propModels.get('u-0123456789ab')?.name).toBe('Crate'));
    w.core.intent(ann, 'propAdd', { type: 'propAdd', kind: 'u-0123456789ab', position: [0, 0, 0] }, 2);
    expect(w.errors('a')).toEqual([ErrorCode.PROP_KIND_UNKNOWN]);
    expect([...w.core.state.props.values()].some((p) => p.kind === 'u-0123456789ab')).toBe(true);
  });

  it('ignores a model of another world, and reads the stored ones when it opens', async () => {
    const w = await fakeCore({ propModels: [model('w1')] });
    expect(w.core.state.propModels.has('u-0123456789ab')).toBe(true);
    w.core.worldEvent({ type: 'propModelAdded', model: { ...model('w2'), id: 'u-bbbbbbbbbbbb' } });
    await new Promise((r) => setTimeout(r, 10));
    expect(w.core.state.propModels.has('u-bbbbbbbbbbbb')).toBe(false);
  });
});
