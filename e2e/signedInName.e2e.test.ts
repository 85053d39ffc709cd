/**
 * A signed-in person is shown in worlds by their account's name: the lobby says so instead of
 * silently swapping a typed guest name, and a world link opens without asking for a name.
 */
import { describe, expect, it } from 'vitest';
import { createWorld, participants, signUp, useE2e, waitReady } from './support/harness';

const e2e = useE2e();

describe('the display name of a signed-in person', () => {
  it('is their account name, said plainly, and a world link needs no name typed', async () => {
    const ann = await e2e.openLobby('Ann');
    const worldId = await createWorld(ann, 'Names');

    // Bob types a guest name, then signs up: the lobby says which name worlds will show
    const bob = await e2e.openLobby('Bobby');
    await signUp(bob, 'bob_account');
    const field = bob.getByTestId('display-name');
    await expect.poll(() => field.inputValue(), { timeout: 5_000 }).toBe('bob_account');
    expect(await field.getAttribute('readonly')).not.toBeNull();
    expect(await bob.getByTestId('display-name-note').textContent()).toBe(
      'Signed in: worlds show you as bob_account (your account\'s name), not "Bobby". Sign out to use "Bobby".',
    );

    // a world link goes straight into the world, as bob_account
    await bob.goto(`${e2e.server.url}/#/w/${worldId}`);
    await waitReady(bob);
    await expect.poll(async () => (await participants(bob)).map((p) => p.name).sort(), { timeout: 10_000 }).toEqual(['Ann', 'bob_account']);

    // signing out gives the guest name back, to edit again
    await bob.getByTestId('leave').click();
    await bob.getByTestId('sign-out').click();
    await expect.poll(() => field.inputValue(), { timeout: 5_000 }).toBe('Bobby');
    expect(await field.getAttribute('readonly')).toBeNull();
    expect(e2e.pageErrors).toEqual([]);
  });
});
