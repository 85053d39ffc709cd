/**
 * Documents as 3D objects, in two browsers: Ann drops a Markdown file on the view and uploads a
 * 3-page PDF with the Upload button, both of them see the pages, Ann turns the PDF to page 3 with
 * the real mouse and adds a note there, a file whose name lies is refused with the server's
 * message, and after a server restart everything is where it was. Real server, real Chromium.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect } from 'vitest';
import { makeGlb, makePdf, makePng } from '../server/testing/fixtures';
import type { DocumentProbe } from '../client/testing/testHook';
import { createWorld, documents, notes, scenarioSteps, screenshot, useE2e, waitReady } from './support/harness';

const MARKDOWN = [
  '# Field guide',
  '',
  'A short guide to the **shared room**, written to be read *on a wall*.',
  '',
  '## Getting around',
  '',
  '1. Walk with the keys.',
  '2. Drag the view to look.',
  '3. Drag a panel to move it.',
  '',
  '- Notes stick to pages',
  '- Pages turn for everyone',
  '  - even for people who joined later',
  '',
  ...Array.from({ length: 14 }, (_, i) => `Paragraph ${i + 1}: every person in the room sees the same page, and the text wraps across the width of the page so that long lines stay readable.\n`),
].join('\n');

/** Markup in a note must come out as the characters typed. */
const NOTE = 'Check the outlook figures <b>before</b> Friday';
const EDITED = 'Outlook checked <i>by Bob</i>';

const e2e = useE2e({}, {}, { pagesOutliveTests: true });
const step = scenarioSteps();

const byTitle = async (page: Page, title: string) => (await documents(page)).find((d) => d.title === title);

/** Drops a file on the canvas the way a browser does: dragenter, dragover, drop with a DataTransfer. */
async function dropFile(page: Page, at: { x: number; y: number }, name: string, type: string, text: string): Promise<boolean> {
  return page.evaluate(
    ({ at, name, type, text }) => {
      const canvas = document.querySelector('[data-testid="world-canvas"]')!;
      const data = new DataTransfer();
      data.items.add(new File([text], name, { type }));
      const fire = (kind: string) => canvas.dispatchEvent(new DragEvent(kind, { bubbles: true, cancelable: true, clientX: at.x, clientY: at.y, dataTransfer: data }));
      fire('dragenter');
      fire('dragover');
      const highlighted = document.querySelector('.world-page')!.classList.contains('drop-target');
      fire('drop');
      return highlighted && !document.querySelector('.world-page')!.classList.contains('drop-target');
    },
    { at, name, type, text },
  );
}

/** Uploads straight to the REST API, as another tool would. */
async function postDocument(worldId: string, name: string, bytes: Buffer, position: [number, number, number]) {
  const form = new FormData();
  form.append('world', worldId);
  form.append('position', JSON.stringify(position));
  form.append('file', new Blob([new Uint8Array(bytes)]), name);
  const res = await fetch(`${e2e.server.url}/api/v3/documents`, { method: 'POST', body: form });
  expect(res.status, await res.clone().text()).toBe(201);
}

describe('documents as 3D objects', () => {
  let ann: Page;
  let bob: Page;
  let worldId: string;
  let md: DocumentProbe;
  let pdf: DocumentProbe;

  beforeAll(async () => {
    ann = await e2e.openLobby('Ann');
    worldId = await createWorld(ann, 'Documents e2e');
    bob = await e2e.openLobby('Bob');
    await bob.locator(`[data-testid="world-item"][data-world-id="${worldId}"]`).click();
    await waitReady(bob);
  });

  step('a Markdown file dropped on the view hangs on the wall ahead and a PDF from the Upload button stands before Ann; both people see their pages', async () => {
    // Ann drops a Markdown file on the wall ahead; the view lights up while it is over it
    const dropAt = await ann.evaluate(() => window.__dwc!.dropPoint());
    expect(await dropFile(ann, dropAt, 'Field guide.md', 'text/markdown', MARKDOWN), 'highlight on dragover, gone after the drop').toBe(true);
    // and a 3-page PDF with the Upload button's file picker
    await ann.getByTestId('upload-input').setInputFiles({ name: 'Quarterly report.pdf', mimeType: 'application/pdf', buffer: makePdf(['Page one: summary', 'Page two: figures', 'Page three: outlook']) });

    for (const page of [ann, bob]) {
      await expect
        .poll(async () => {
          const md = await byTitle(page, 'Field guide');
          const pdf = await byTitle(page, 'Quarterly report');
          return [md?.kind, md?.contentLoaded, (md?.pageCount ?? 0) >= 2, pdf?.kind, pdf?.contentLoaded, pdf?.pageCount];
        }, { timeout: 30_000 })
        .toEqual(['markdown', true, true, 'pdf', true, 3]);
    }
    md = (await byTitle(ann, 'Field guide'))!;
    pdf = (await byTitle(ann, 'Quarterly report'))!;
    // the drop hung the Markdown on the wall ahead (the front wall is at z = -8), facing into the room
    expect(md.position[2]).toBeLessThan(-7);
    expect(Math.abs(md.rotation[1])).toBeLessThan(0.01);
    // the Upload button put the PDF a couple of metres in front of Ann
    const annHead = (await ann.evaluate(() => window.__dwc!.participants().find((p) => p.id === window.__dwc!.sessionId())!.head)) as number[];
    expect(Math.hypot(pdf.position[0] - annHead[0]!, pdf.position[2] - annHead[2]!)).toBeCloseTo(2, 0);
  });

  step("two clicks on the PDF's next control turn it to page 3 for both, without grabbing it", async () => {
    // Ann turns the PDF to page 3 with two clicks on its "next" control; Bob follows live
    for (const target of [2, 3]) {
      const next = await ann.evaluate((id) => window.__dwc!.controlPoint(id, 'next'), pdf.id);
      expect(next, 'the next-page control is on screen').not.toBeNull();
      await ann.mouse.click(next!.x, next!.y);
      await expect.poll(async () => (await byTitle(ann, 'Quarterly report'))?.page, { timeout: 10_000 }).toBe(target);
    }
    await expect.poll(async () => (await byTitle(bob, 'Quarterly report'))?.page, { timeout: 10_000 }).toBe(3);
    expect((await byTitle(ann, 'Quarterly report'))!.heldBy, 'clicking a control does not grab the panel').toBe('');
  });

  step("a note Ann pins on page 3 reaches Bob where she put it, and Bob's edit of it reaches Ann", async () => {
    // Ann pins a note on page 3: Add note, click the page, type, save; Bob sees it
    await ann.getByTestId('add-note').click();
    const spot = await ann.evaluate((id) => window.__dwc!.pagePoint(id, 0.35, 0.3), pdf.id);
    expect(spot).not.toBeNull();
    await ann.mouse.click(spot!.x, spot!.y);
    await ann.getByTestId('note-text').fill(NOTE);
    await ann.getByTestId('note-save').click();
    await expect.poll(async () => (await notes(bob)).map((n) => n.text), { timeout: 10_000 }).toEqual([NOTE]);
    const note = (await notes(bob))[0]!;
    expect(note).toMatchObject({ documentId: pdf.id, page: 3, author: 'Ann' });
    expect(note.u).toBeCloseTo(0.35, 1);
    expect(note.v).toBeCloseTo(0.3, 1);

    // Bob clicks the note where it is drawn on his screen, reads it and changes it; Ann sees the edit
    await expect.poll(async () => (await byTitle(bob, 'Quarterly report'))?.notesShown, { timeout: 10_000 }).toEqual([note.id]);
    const onNote = await bob.evaluate(({ id, u, v }) => window.__dwc!.pagePoint(id, u, v), { id: pdf.id, u: note.u, v: note.v });
    await bob.mouse.click(onNote!.x, onNote!.y);
    await expect.poll(() => bob.getByTestId('note-text').inputValue(), { timeout: 10_000 }).toBe(NOTE);
    await bob.getByTestId('note-text').fill(EDITED);
    await bob.getByTestId('note-save').click();
    await expect.poll(async () => (await notes(ann)).map((n) => n.text), { timeout: 10_000 }).toEqual([EDITED]);
    expect((await byTitle(ann, 'Quarterly report'))!.heldBy, 'clicking a note does not grab the panel').toBe('');
  });

  step("a file named like a PDF whose bytes are a PNG is refused with the server's reason", async () => {
    // a file whose name says PDF but whose bytes are a PNG is refused, with the server's reason
    await ann.getByTestId('upload-input').setInputFiles({ name: 'photo.pdf', mimeType: 'application/pdf', buffer: makePng(32, 32) });
    const failed = ann.locator('[data-testid="upload-item"].failed [data-testid="upload-status"]');
    await expect.poll(() => failed.textContent(), { timeout: 10_000 }).toMatch(/named like PDF but its content is PNG/);
  });

  step('an image and a model uploaded by another tool appear beside the PDF, loaded', async () => {
    // an image and a model from another tool appear beside the PDF, loaded
    await postDocument(worldId, 'gradient.png', makePng(160, 90), [pdf.position[0] - 1.4, 1.5, pdf.position[2]]);
    await postDocument(worldId, 'triangle.glb', makeGlb(), [pdf.position[0] + 1.4, 1.5, pdf.position[2]]);
    await expect
      .poll(async () => (await documents(ann)).filter((d) => d.kind === 'image' || d.kind === 'model').map((d) => [d.kind, d.contentLoaded, d.pageCount]).sort(), { timeout: 30_000 })
      .toEqual([['image', true, 1], ['model', true, 1]]);
  });

  step('held, the image faces Ann, turns with E and grows with the wheel, and Bob sees where she let it go', async () => {
    // Ann takes the image, turns it with E and makes it larger with the wheel while holding it
    const image = (await documents(ann)).find((d) => d.kind === 'image')!;
    const grabAt = await ann.evaluate((id) => window.__dwc!.screenPointOf(id), image.id);
    await ann.mouse.move(grabAt!.x, grabAt!.y);
    await ann.mouse.down();
    await expect.poll(async () => (await documents(ann)).find((d) => d.id === image.id)!.heldBy, { timeout: 10_000 }).not.toBe('');
    await ann.keyboard.press('e');
    await ann.keyboard.press('e');
    await ann.mouse.wheel(0, -120);
    await ann.mouse.wheel(0, -120);
    await ann.waitForTimeout(300);
    await ann.mouse.up();
    await expect
      .poll(async () => {
        const d = (await documents(bob)).find((x) => x.id === image.id)!;
        return [d.heldBy, Math.round(d.scale * 100) / 100];
      }, { timeout: 10_000 })
      .toEqual(['', 1.21]);
    // a held document turns to face its holder; two presses of E turned it 30° clockwise from there
    const turned = (await documents(bob)).find((x) => x.id === image.id)!;
    const eye = (await ann.evaluate(() => window.__dwc!.participants().find((p) => p.id === window.__dwc!.sessionId())!.head)) as number[];
    const facingAnn = Math.atan2(eye[0]! - turned.position[0], eye[2]! - turned.position[2]);
    const yaw = 2 * Math.atan2(turned.rotation[1], turned.rotation[3]);
    expect(Math.abs(yaw - (facingAnn - Math.PI / 6))).toBeLessThan(0.05);
  });

  step('both views render the room in varied colours', async () => {
    await ann.waitForTimeout(500);
    for (const [page, name] of [[ann, 'documents-ann'], [bob, 'documents-bob']] as const) {
      const stats = await screenshot(page, name);
      expect(stats.distinct, `${name} has varied colours`).toBeGreaterThan(200);
    }
  });

  step('Bob walks up to the Markdown on the wall with the keys, close enough to read it', async () => {
    // Bob walks up to the Markdown on the wall to read it: in line with it, then towards it, in
    // short steps so that he stops in time (the view glides on a little after a key is let go)
    await bob.focus('[data-testid="world-canvas"]');
    const bobHead = async () => (await bob.evaluate(() => window.__dwc!.participants().find((p) => p.id === window.__dwc!.sessionId())!.head)) as number[];
    const walk = async (key: string) => {
      await bob.keyboard.down(key);
      await bob.waitForTimeout(120);
      await bob.keyboard.up(key);
      await bob.waitForTimeout(200);
    };
    for (let i = 0; i < 40; i++) {
      const dx = md.position[0] - (await bobHead())[0]!;
      if (Math.abs(dx) < 0.3) break;
      await walk(dx > 0 ? 'd' : 'a');
    }
    // forward until within reading distance; on a slow machine a frame can carry him past it, so
    // he steps back the way a person would
    for (let i = 0; i < 80; i++) {
      const distance = (await bobHead())[2]! - md.position[2];
      if (distance > 2.6) await walk('w');
      else if (distance < 1.8) await walk('s');
      else {
        await bob.waitForTimeout(1000);
        const settled = (await bobHead())[2]! - md.position[2];
        if (settled >= 1.8 && settled <= 2.6) break;
      }
    }
    const [bx, , bz] = await bobHead();
    expect(Math.abs(bx! - md.position[0])).toBeLessThan(0.8);
    expect(bz! - md.position[2]).toBeGreaterThan(1.5);
    await screenshot(bob, 'documents-bob-markdown');
  }, 180_000);

  step('Bob shows the Markdown two pages at a time and turns it by whole spreads with PageDown and PageUp, for both', async () => {
    // Bob shows two pages side by side, then turns by a whole spread with PageDown over the panel
    const spread = await bob.evaluate((id) => window.__dwc!.controlPoint(id, 'spread'), md.id);
    expect(spread, 'the spread control is on screen').not.toBeNull();
    await bob.mouse.click(spread!.x, spread!.y);
    // each key press acts on what that person sees, so wait for the change to reach both
    const view = async (page: Page) => {
      const d = await byTitle(page, 'Field guide');
      return [d?.page, d?.spread];
    };
    for (const page of [bob, ann]) await expect.poll(() => view(page), { timeout: 10_000 }).toEqual([1, 2]);
    await bob.waitForTimeout(1000);
    await screenshot(bob, 'documents-bob-markdown-spread');
    const onPage = await bob.evaluate((id) => window.__dwc!.pagePoint(id, 0.5, 0.5), md.id);
    await bob.mouse.move(onPage!.x, onPage!.y);
    await bob.keyboard.press('PageDown');
    for (const page of [bob, ann]) await expect.poll(() => view(page), { timeout: 10_000 }).toEqual([3, 2]);
    await bob.keyboard.press('PageUp');
    for (const page of [bob, ann]) await expect.poll(() => view(page), { timeout: 10_000 }).toEqual([1, 2]);
  });

  step('after a server restart and a reload, every document, page and note is where it was', async () => {
    // the server restarts on the same data; after a reload everything is where it was
    const before = await documents(ann);
    await e2e.restart();
    await Promise.all([ann.reload(), bob.reload()]);
    for (const page of [ann, bob]) {
      await waitReady(page);
      await expect
        .poll(async () => (await documents(page)).filter((d) => d.contentLoaded).length, { timeout: 60_000 })
        .toBe(before.length);
      const after = await documents(page);
      for (const d of before) {
        const again = after.find((x) => x.id === d.id)!;
        expect(again, d.title).toBeTruthy();
        for (let i = 0; i < 3; i++) expect(again.position[i]).toBeCloseTo(d.position[i]!, 3);
        expect([again.page, again.spread, again.pageCount]).toEqual([d.page, d.spread, d.pageCount]);
      }
      expect((after.find((d) => d.id === pdf.id))!.page).toBe(3);
      expect((await notes(page)).map((n) => [n.documentId, n.page, n.text])).toEqual([[pdf.id, 3, EDITED]]);
    }
    await ann.waitForTimeout(500);
    await screenshot(ann, 'documents-ann-after-restart');
  }, 240_000);

  step('no page reported an error, and no request tried to leave the machine', async () => {
    expect(e2e.pageErrors).toEqual([]);
    // the restart drops the connections, which the browser reports; nothing else may go wrong
    expect(e2e.consoleErrors.filter((e) => !/WebSocket|ERR_CONNECTION_REFUSED|Failed to load resource/.test(e))).toEqual([]);
    expect(e2e.browser.blocked, 'requests that tried to leave this machine').toEqual([]);
  });
});
