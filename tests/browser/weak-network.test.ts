import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { connectBoard, createWorkshop, join, postIdea } from '../helpers/clients.ts';
import { newPerson, useServerAndBrowser } from '../helpers/browser.ts';

/**
 * A phone on a weak connection (issue 11): the board's title and questions are on screen before
 * its ideas can arrive — from the page's HTML before any script ran, and from the app while the
 * content socket has not answered yet. Speed itself is measured in bench/slow3g.ts.
 */
describe('a board on a weak connection in Chromium', () => {
  const ctx = useServerAndBrowser();

  async function setUp() {
    const ws = await createWorkshop(ctx.server.url, ['desafio-8']);
    const boardId = ws.boards[0]!.id;
    const info = (await (await fetch(`${ctx.server.url}/api/boards/${boardId}`)).json()) as { challenge: { title: string; questions: { id: string; text: string }[] } };
    const ana = await join(ctx.server.url, ws.code, { name: 'Ana', sector: 'comunidad' });
    const writer = connectBoard(ctx.server.wsUrl, boardId, ana.token);
    await writer.synced;
    for (const q of info.challenge.questions) postIdea(writer.doc, { id: ana.participantId, name: 'Ana', sector: 'comunidad' }, { text: `Idea para ${q.id}`, questionId: q.id });
    const phone = await join(ctx.server.url, ws.code, { name: 'Beto', sector: 'mipyme' });
    return { ws, boardId, challenge: info.challenge, writer, phone };
  }

  /** A browser where this participant joined earlier (its token in localStorage). */
  async function phoneOf(code: string, participant: unknown): Promise<Page> {
    const page = await newPerson(ctx.browser, { width: 390, height: 844 });
    await page.context().addInitScript({ content: `localStorage.setItem(${JSON.stringify(`minga:part:${code}`)}, ${JSON.stringify(JSON.stringify(participant))});` });
    return page;
  }

  it('shows the title and questions from the HTML while no script has loaded', async () => {
    const { ws, boardId, challenge, writer, phone } = await setUp();
    const page = await phoneOf(ws.code, phone);
    await page.route('**/_app/**', (route) => route.abort());
    await page.goto(`${ctx.server.url}/tablero/${boardId}`);
    await page.getByRole('heading', { level: 1, name: challenge.title }).waitFor();
    for (const q of challenge.questions) expect(await page.getByRole('heading', { level: 2, name: q.text }).isVisible()).toBe(true);
    writer.destroy();
    await page.context().close();
  });

  it('draws the board with its title and questions while the content socket does not answer, and its ideas once it does', async () => {
    const { ws, boardId, challenge, writer, phone } = await setUp();
    const page = await phoneOf(ws.code, phone);
    // The content socket opens in the page but never reaches the server, as on a stalled link.
    let held = 0;
    await page.routeWebSocket(/\/yjs\//, () => {
      held++;
    });
    await page.goto(`${ctx.server.url}/tablero/${boardId}`);
    // The app's own lanes (their "Nueva idea" fields), not the HTML's preview, which it replaced.
    await page.getByLabel('Nueva idea').first().waitFor();
    expect(await page.locator('#board-preview').count()).toBe(0);
    await page.getByRole('heading', { level: 1, name: challenge.title }).waitFor();
    for (const q of challenge.questions) expect(await page.locator(`#q-${q.id}`).textContent()).toBe(q.text);
    expect(held).toBeGreaterThan(0);
    expect(await page.locator('[data-idea-card]').count()).toBe(0);

    // The same browser with the socket through: the ideas arrive.
    const again = await page.context().newPage();
    await again.goto(`${ctx.server.url}/tablero/${boardId}`);
    await expect.poll(() => again.locator('[data-idea-card]').count(), { timeout: 15_000 }).toBe(challenge.questions.length);
    writer.destroy();
    await page.context().close();
  });
});
