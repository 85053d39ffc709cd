import { describe, expect, it } from 'vitest';
import type { MemberRecord, MemberStore } from '../adapters/storage/MemberStore';
import type { Store } from '../adapters/storage/Store';
import type { WorldEventBus } from '../rooms/worldEvents';
import type { WorldRecord } from '../../shared/model/worlds';
import { WorldAccess } from './WorldAccess';

const members: MemberRecord[] = [{ worldId: 'w1', userId: 'u-viv', username: 'viv', role: 'viewer', addedAt: '', addedBy: 'u-own' }];
// roleIn reads only members; the other collaborators are never touched by it
const access = new WorldAccess({
  store: {} as Store,
  members: { getMember: async (worldId: string, userId: string) => members.find((m) => m.worldId === worldId && m.userId === userId) } as unknown as MemberStore,
  events: {} as WorldEventBus,
  audit: { record: () => undefined },
  admins: new Set(['root']),
});

const world = (extra: Partial<WorldRecord> = {}): WorldRecord => ({ id: 'w1', name: 'W', template: 'office', capacity: 16, createdAt: '', ownerId: 'u-own', ...extra });
const user = (userId: string, username = userId) => ({ userId, username });

describe('who has which role in a world', () => {
  it('ROLE-4: the creator and administrators own a world, members have their role, everyone else the guest role', async () => {
    expect(await access.roleIn(world(), user('u-own'))).toBe('owner');
    expect(await access.roleIn(world(), user('u-x', 'root'))).toBe('owner');
    expect(await access.roleIn(world({ guestRole: 'none' }), user('u-viv'))).toBe('viewer');
    // guests and signed-in strangers alike: editor unless the owner chose otherwise
    for (const who of [null, user('u-stranger')]) {
      expect(await access.roleIn(world(), who)).toBe('editor');
      expect(await access.roleIn(world({ guestRole: 'viewer' }), who)).toBe('viewer');
      expect(await access.roleIn(world({ guestRole: 'none' }), who)).toBeNull();
    }
  });
});
