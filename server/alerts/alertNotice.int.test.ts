/**
 * An alert heard in the worlds: administrators connected to any world are told when one fires (in
 * the page and in a headset, as a toast); people who are not administrators, signed in or guests,
 * are told nothing.
 */
import { describe, expect, it } from 'vitest';
import { ServerEvent, type AlertNotice } from '../../shared/protocol';
import { joinWorld, settle, until } from '../testing/clients';
import { bearer, restClient } from '../testing/rest';
import { useServer } from '../testing/useServer';

const server = useServer({ env: { ADMIN_USERS: 'root', ANALYTICS_SAMPLE_SECONDS: '1' } });
const { call, signUp } = restClient(() => server().url);

describe('alerts in the worlds', () => {
  it('ALERTS-6: administrators in a world are told of an alert that fires; nobody else is', async () => {
    const root = await signUp('root');
    const bob = await signUp('bob');
    const world = (await call('POST', '/worlds', { name: 'Ops', template: 'office', guestRole: 'editor' }, bearer(root.token))).json.world as { id: string };
    const heard = { root: [] as AlertNotice[], bob: [] as AlertNotice[], guest: [] as AlertNotice[] };
    for (const [who, token] of [['root', root.token], ['bob', bob.token], ['guest', undefined]] as const) {
      const p = await joinWorld(server().url, world.id, who, token ? { token } : {});
      p.room.onMessage(ServerEvent.ALERT, (n: AlertNotice) => heard[who].push(n));
    }
    const rule = { kind: 'threshold', name: 'Missing worlds', series: 'http_requests', labels: { status: '4xx' }, aggregate: 'sum', windowMinutes: 2, op: '>', value: 2 };
    expect((await call('POST', '/alerts/rules', rule, bearer(root.token))).status).toBe(201);
    for (let i = 0; i < 3; i++) expect((await call('GET', '/worlds/no-such-world')).status).toBe(404);

    await until('the administrator told', () => heard.root.length > 0, 15_000, 100);
    expect(heard.root[0]).toMatchObject({ kind: 'fired', severity: 'warning' });
    expect(heard.root[0]!.message).toContain('Missing worlds');
    await settle(500);
    expect(heard.bob).toEqual([]);
    expect(heard.guest).toEqual([]);
  });
});
