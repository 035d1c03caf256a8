import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { connectBoard, connectControl, createWorkshop, join, postIdea } from '../helpers/clients.ts';
import { newPerson, useServerAndBrowser } from '../helpers/browser.ts';

/**
 * What a screen reader hears on the board (issue 11): the board's title on arrival, others' new
 * ideas in one batched message per burst, and phase changes, through polite live regions.
 */
describe('board announcements in Chromium', () => {
  const ctx = useServerAndBrowser();

  /** Every text any live region of the page held, in order (kept across client-side navigations). */
  const recordLiveRegions = (page: Page) =>
    page.evaluate(() => {
      const heard: string[] = [];
      (window as unknown as { heard: string[] }).heard = heard;
      new MutationObserver(() => {
        for (const el of document.querySelectorAll('[aria-live]')) {
          const text = el.textContent?.trim() ?? '';
          if (text && heard.at(-1) !== text && !heard.includes(text)) heard.push(text);
        }
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
  const heard = (page: Page) => page.evaluate(() => (window as unknown as { heard: string[] }).heard);
  const politeRegion = (page: Page) => page.locator('div.visually-hidden[role="status"][aria-live="polite"]');

  it('announces the board’s title on arrival, others’ new ideas batched by question, and the phase', async () => {
    const ws = await createWorkshop(ctx.server.url, ['desafio-6']);
    const boardId = ws.boards[0]!.id;
    const info = (await (await fetch(`${ctx.server.url}/api/boards/${boardId}`)).json()) as { challenge: { number: number; title: string; questions: { id: string }[] } };
    const page = await newPerson(ctx.browser);
    const beto = await join(ctx.server.url, ws.code, { name: 'Beto Rojas' });
    await page.goto(`${ctx.server.url}/taller/${ws.code}`);
    await page.evaluate(({ key, entry }) => localStorage.setItem(key, entry), { key: `minga:part:${ws.code}`, entry: JSON.stringify(beto) });
    await page.reload();
    await page.getByRole('link', { name: /Desafío 6/ }).waitFor();
    await recordLiveRegions(page);

    // Entering the board: the route announcer says its title, never "Cargando…".
    await page.getByRole('link', { name: /Desafío 6/ }).click();
    await page.getByLabel('Nueva idea').first().waitFor();
    const title = `${info.challenge.number}. ${info.challenge.title} · Minga`;
    await expect.poll(() => page.locator('#svelte-announcer').textContent().then((t) => t?.trim())).toBe(title);
    expect((await heard(page)).filter((t) => /Cargando/.test(t))).toEqual([]);

    // Someone else posts 3 ideas in question 2 within a moment: one message names the count and the question.
    const ana = await join(ctx.server.url, ws.code, { name: 'Ana Pérez' });
    const client = connectBoard(ctx.server.wsUrl, boardId, ana.token);
    await client.synced;
    const who = { id: ana.participantId, name: 'Ana Pérez', sector: 'comunidad' };
    // Three updates of their own, sent back to back: a sleep between them let a loaded CI machine
    // deliver the last one after the 2.5 s window had closed ("2 ideas nuevas", then "1 idea nueva").
    for (const text of ['Huertos en las escuelas', 'Compostaje en cada cuadra', 'Ferias de semillas']) {
      postIdea(client.doc, who, { text, questionId: info.challenge.questions[1]!.id });
    }
    await page.getByText('Ferias de semillas', { exact: true }).waitFor();
    await expect.poll(() => politeRegion(page).textContent(), { timeout: 8000 }).toBe('3 ideas nuevas en Pregunta 2.');
    expect((await heard(page)).filter((t) => /ideas? nuevas?/.test(t))).toEqual(['3 ideas nuevas en Pregunta 2.']);

    // The facilitator starts the session: the phase is announced politely.
    const control = await connectControl(ctx.server.url, ws.facilitatorToken);
    expect((await control.emitWithAck('session:command', { boardId, action: 'start' })).ok).toBe(true);
    await expect.poll(() => politeRegion(page).textContent()).toBe('Nueva fase: Ideación. Escribe tus ideas en cada pregunta: una idea por tarjeta.');

    control.close();
    client.destroy();
    await page.context().close();
  });
});
