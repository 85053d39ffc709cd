/**
 * Events in the lobby, in real browsers: Ann owns a world and schedules an event from the lobby's
 * form; it is listed with its world, time and seats; Bob, signed in, says he is coming and takes
 * the calendar file; a guest sees it and is asked to sign in to RSVP. Titles are shown as text.
 */
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { SHOTS, screenshot, signUp, useE2e } from './support/harness';

const e2e = useE2e();

/** Makes a world as the page's signed-in person, as the lobby's form would. */
async function ownWorld(page: Page, name: string): Promise<string> {
  return page.evaluate(async (worldName) => {
    const account = JSON.parse(localStorage.getItem('dwc.account')!) as { accessToken: string };
    const res = await fetch('/api/v3/worlds', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${account.accessToken}` },
      body: JSON.stringify({ name: worldName, template: 'classroom', guestRole: 'viewer' }),
    });
    return ((await res.json()) as { world: { id: string } }).world.id;
  }, name);
}

const TITLE = 'Launch party <img src=x onerror="document.title=\'pwned\'">';
const eventItem = (page: Page) => page.getByTestId('event-item').filter({ hasText: 'Launch party' });

describe('events in the lobby', () => {
  it('EVENT-7: an owner schedules an event in the lobby; a signed-in person RSVPs and gets the calendar file', { timeout: 180_000 }, async () => {
    const ann = await e2e.openLobby('Ann');
    await signUp(ann, 'ann_host');
    const worldId = await ownWorld(ann, 'Town <b>hall</b>');

    // the form offers the worlds she owns once the lobby has listed them
    await ann.getByTestId('event-schedule').locator('summary').click({ timeout: 15_000 });
    await expect.poll(() => ann.getByTestId('event-world').inputValue(), { timeout: 10_000 }).toBe(worldId);
    await ann.getByTestId('event-title').fill(TITLE);
    await ann.getByTestId('event-description').fill('Demos, drinks\nand a toast; bring a friend.');
    await ann.getByTestId('event-capacity').fill('2');
    await ann.getByTestId('schedule-event').click();
    await expect.poll(() => eventItem(ann).count(), { timeout: 10_000 }).toBe(1);
    expect(await ann.getByTestId('event-form-error').textContent()).toBe('');

    const annItem = eventItem(ann);
    expect(await annItem.getByTestId('event-title-text').textContent()).toBe(TITLE);
    expect(await annItem.getByTestId('event-world-name').textContent()).toBe('Town <b>hall</b>');
    expect(await ann.locator('.event-list img, .event-list b').count()).toBe(0);
    expect(await annItem.getByTestId('event-seats').textContent()).toBe('2 of 2 seats left');
    expect(await annItem.getByTestId('event-cancel').isVisible()).toBe(true);
    // the time is the reader's local time, an hour or so from now
    const when = await annItem.getByTestId('event-when').getAttribute('datetime');
    expect(Date.parse(when!) - Date.now()).toBeGreaterThan(0);
    expect(Date.parse(when!) - Date.now()).toBeLessThan(2 * 3600_000);

    // Bob, signed in, sees it in his lobby and says he is coming
    const bob = await e2e.openLobby('Bob');
    await signUp(bob, 'bob_guest');
    await expect.poll(() => eventItem(bob).count(), { timeout: 20_000 }).toBe(1);
    const bobItem = eventItem(bob);
    expect(await bobItem.getByTestId('event-cancel').count()).toBe(0);
    await bobItem.getByTestId('event-rsvp').click();
    await expect.poll(() => bobItem.getByTestId('event-seats').textContent(), { timeout: 10_000 }).toBe('1 of 2 seats left');
    expect(await bobItem.getByTestId('event-unrsvp').isVisible()).toBe(true);
    expect(await bobItem.locator('.event-going').textContent()).toBe('You are going');

    // the calendar file downloads with the event in it
    const [download] = await Promise.all([bob.waitForEvent('download'), bobItem.getByTestId('event-ics').click()]);
    expect(download.suggestedFilename()).toBe('Launch-party-img-src-x-onerror-document-title-pwned.ics');
    const ics = await readFile((await download.path())!, 'utf8');
    expect(ics.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    expect(ics.replace(/\r\n /g, '')).toContain(`URL:${e2e.server.url}/#/w/${worldId}`);

    // a guest sees the event and is asked to sign in to RSVP
    const guest = await e2e.openLobby('Gus');
    await expect.poll(() => eventItem(guest).count(), { timeout: 20_000 }).toBe(1);
    expect(await eventItem(guest).textContent()).toContain('Sign in to RSVP');
    expect(await eventItem(guest).getByTestId('event-rsvp').count()).toBe(0);

    await bob.getByTestId('events-card').scrollIntoViewIfNeeded();
    await screenshot(bob, 'events-lobby');
    await bob.getByTestId('events-card').screenshot({ path: path.join(SHOTS, 'events-card.png') });
    await ann.getByTestId('event-schedule').locator('summary').click();
    await ann.getByTestId('events-card').screenshot({ path: path.join(SHOTS, 'events-card-owner.png') });
    expect(await bob.title()).not.toBe('pwned');
    expect(e2e.pageErrors).toEqual([]);
  });
});
