import { describe, expect, it } from 'vitest';
import { areaOf, renderProfile, summarizeProfile, type CpuProfile } from './profile';

const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 0 });

/** main → afterPatch (ours) → send (ws) and main → (garbage collector), with idle time between. */
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)', ''), children: [2, 5, 6] },
    { id: 2, callFrame: frame('afterPatch', 'file:///app/server/rooms/interest.ts'), children: [3] },
    { id: 3, callFrame: frame('send', 'file:///app/node_modules/ws/lib/sender.js'), children: [4] },
    { id: 4, callFrame: frame('afterPatch', 'file:///app/server/rooms/interest.ts') },
    { id: 5, callFrame: frame('(garbage collector)', '') },
    { id: 6, callFrame: frame('(idle)', '') },
  ],
  // 10 samples of 1 ms: 4 in send, 2 in afterPatch itself, 1 in afterPatch called again under send, 1 GC, 2 idle
  samples: [3, 3, 3, 3, 2, 2, 4, 5, 6, 6],
  timeDeltas: Array(10).fill(1000),
  startTime: 0,
  endTime: 10_000,
};

describe('a CPU profile summed up', () => {
  it('counts own time per function and area, leaves idle out, and counts a function on the stack once however deep', () => {
    const s = summarizeProfile(profile);
    expect(s.windowMs).toBe(10);
    expect(s.busyMs).toBe(8);
    expect(s.self[0]).toMatchObject({ ms: 4, share: 0.5 });
    expect(s.self[0]!.name).toMatch(/^send /);
    expect(s.areas.map((a) => [a.name, a.ms])).toEqual([['ws', 4], ['server/rooms', 3], ['(garbage collector)', 1]]);
    // afterPatch is on the stack in 7 of the 8 busy samples, twice in one of them: 7 ms, not 8
    expect(s.inclusive).toEqual([{ name: expect.stringMatching(/^afterPatch /), ms: 7, share: 7 / 8 }]);
    expect(renderProfile('server', s)).toContain('busy 8 ms of 10 ms (80 % of the core)');
  });

  it('names where code lives as a reader would', () => {
    expect(areaOf('file:///x/node_modules/@colyseus/core/build/Room.mjs', 'f')).toBe('@colyseus/core');
    expect(areaOf('file:///x/server/rooms/core/WorldCore.ts', 'f')).toBe('server/rooms');
    expect(areaOf('file:///x/shared/protocol/poseWire.ts', 'f')).toBe('shared/protocol');
    expect(areaOf('node:events', 'emit')).toBe('node internals');
    expect(areaOf('', '(program)')).toBe('(program)');
    expect(areaOf('', 'writev')).toBe('(native)');
  });
});
