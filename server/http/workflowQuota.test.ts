import type { Request, Response } from 'express';
import { describe, expect, it } from 'vitest';
import { workflowQuota, type QuotaSettings } from './workflowQuota';

const settings: QuotaSettings = { runsPerMinute: 4, guestRunsPerMinute: 2, guests: 'run' };
const request = (ip: string) => ({ ip, socket: {} }) as unknown as Request;
function response(auth?: unknown) {
  const headers: Record<string, string> = {};
  return { locals: { auth }, setHeader: (k: string, v: string) => (headers[k] = v), headers } as unknown as Response & { headers: Record<string, string> };
}
const guest = () => response({ kind: 'guest' });
const viaKey = (keyId: string) => response({ kind: 'key', userId: 'u1', username: 'ann', keyId, scopes: [] });

describe('workflow run quota', () => {
  it('counts an account’s runs together however it calls (token or any of its keys)', async () => {
    const q = workflowQuota(settings);
    await q.startRuns(request('10.0.0.1'), response({ kind: 'user', userId: 'u1', username: 'ann', familyId: 'f' }), 2);
    await q.startRuns(request('10.0.0.2'), viaKey('k1'), 1);
    const res = viaKey('k2');
    await expect(q.startRuns(request('10.0.0.3'), res, 2)).rejects.toMatchObject({ status: 429, message: expect.stringMatching(/this account: at most 4 a minute/) });
    expect(Number(res.headers['Retry-After'])).toBeGreaterThan(0);
    // the refused request used none of the allowance
    await q.startRuns(request('10.0.0.3'), viaKey('k2'), 1);
  });

  it('gives guests their own, smaller allowance per address', async () => {
    const q = workflowQuota(settings);
    await q.startRuns(request('10.0.0.1'), guest(), 2);
    await expect(q.startRuns(request('10.0.0.1'), guest(), 1)).rejects.toMatchObject({ status: 429 });
    await q.startRuns(request('10.0.0.2'), guest(), 1);
    await expect(q.startRuns(request('10.0.0.3'), guest(), 3)).rejects.toMatchObject({ status: 429, message: expect.stringMatching(/would start 3 runs/) });
  });

  it('keeps guests from schedules unless allowed, and from runs when workflows are off for them', async () => {
    expect(() => workflowQuota(settings).setSchedule(guest(), { everyMs: 60_000 })).toThrow(/Sign in to schedule/);
    expect(() => workflowQuota(settings).setSchedule(guest(), null)).not.toThrow();
    expect(() => workflowQuota({ ...settings, guests: 'all' }).setSchedule(guest(), { everyMs: 60_000 })).not.toThrow();
    expect(() => workflowQuota(settings).setSchedule(viaKey('k1'), { everyMs: 60_000 })).not.toThrow();
    await expect(workflowQuota({ ...settings, guests: 'off' }).startRuns(request('10.0.0.1'), guest(), 1)).rejects.toMatchObject({ status: 401 });
  });
});
