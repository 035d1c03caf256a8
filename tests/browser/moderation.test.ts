import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { connectBoard, createWorkshop, join, postIdea } from '../helpers/clients.ts';
import { ideaActions, newPerson, useServerAndBrowser } from '../helpers/browser.ts';

const Q1 = 'desafio-6-p1';

describe('moderation in Chromium', () => {
  const ctx = useServerAndBrowser();

  /** A participant's browser that joined through the API, its token stored as the app stores it. */
  async function participantPage(code: string, name: string, viewport?: { width: number; height: number }) {
    const page = await newPerson(ctx.browser, viewport);
    const joined = await join(ctx.server.url, code, { name });
    await page.goto(ctx.server.url);
    await page.evaluate(({ key, entry }) => localStorage.setItem(key, entry), { key: `minga:part:${code}`, entry: JSON.stringify(joined) });
    return page;
  }

  async function openBoard(page: Page, code: string, boardId: string, facilitatorToken?: string) {
    if (facilitatorToken) {
      await page.goto(`${ctx.server.url}/taller/${code}/facilitar#${facilitatorToken}`);
      await page.getByRole('heading', { name: 'Taller de prueba' }).waitFor();
    }
    await page.goto(`${ctx.server.url}/tablero/${boardId}`);
    await page.getByLabel('Nueva idea').first().waitFor();
  }

  it('hides an idea: the participant no longer has it, the facilitator sees it dimmed and shows it again', async () => {
    const ws = await createWorkshop(ctx.server.url, ['desafio-6']);
    const boardId = ws.boards[0]!.id;
    const ana = await join(ctx.server.url, ws.code, { name: 'Ana Pérez' });
    const client = connectBoard(ctx.server.wsUrl, boardId, ana.token);
    await client.synced;
    const who = { id: ana.participantId, name: 'Ana Pérez', sector: 'comunidad' };
    postIdea(client.doc, who, { text: 'Una idea fuera de lugar', questionId: Q1 });
    postIdea(client.doc, who, { text: 'Huertos comunitarios', questionId: Q1 });

    const beto = await participantPage(ws.code, 'Beto Rojas', { width: 360, height: 780 });
    await openBoard(beto, ws.code, boardId);
    await beto.getByText('Una idea fuera de lugar', { exact: true }).waitFor();

    const fac = await newPerson(ctx.browser);
    await openBoard(fac, ws.code, boardId, ws.facilitatorToken);
    const card = fac.locator('[data-idea-card]', { hasText: 'Una idea fuera de lugar' });
    await (await ideaActions(fac, 'Una idea fuera de lugar')).getByRole('menuitem', { name: /^Ocultar/ }).click();

    await beto.getByText('Una idea fuera de lugar', { exact: true }).waitFor({ state: 'detached' });
    expect(await beto.getByText('Huertos comunitarios', { exact: true }).isVisible()).toBe(true);
    expect(await beto.content()).not.toContain('Una idea fuera de lugar');

    // The facilitator keeps it, dimmed and labelled, with only moderation on it; the focus stays on its button.
    await card.getByText(/^Oculta: las personas participantes no ven esta idea$/).waitFor();
    const actions = card.getByRole('button', { name: /^Acciones de la idea/ });
    await actions.waitFor();
    await expect.poll(() => actions.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await card.getByRole('button').count()).toBe(1);
    await fac.keyboard.press('Enter');
    const items = fac.getByRole('menu').getByRole('menuitem');
    await items.first().waitFor();
    expect((await items.allInnerTexts()).map((t) => t.split('\n')[0]!.trim())).toEqual(['Mostrar', 'Quitar']);
    await fac.keyboard.press('Escape');
    await expect.poll(() => actions.evaluate((el) => el === document.activeElement)).toBe(true);

    // A participant who opens the board now never gets it either: not on screen, not in any frame her browser receives.
    const carla = await participantPage(ws.code, 'Carla');
    const frames: Buffer[] = [];
    carla.on('websocket', (socket) => socket.on('framereceived', ({ payload }) => frames.push(Buffer.from(payload))));
    await openBoard(carla, ws.code, boardId);
    await carla.getByText('Huertos comunitarios', { exact: true }).waitFor();
    expect(await carla.content()).not.toContain('Una idea fuera de lugar');
    expect(frames.length).toBeGreaterThan(0);
    expect(frames.some((f) => f.includes('Una idea fuera de lugar'))).toBe(false);

    // Back on the board, from the keyboard: Enter opens the menu, Enter again shows the idea.
    await fac.keyboard.press('Enter');
    await fac.getByRole('menuitem', { name: /^Mostrar/ }).waitFor();
    await fac.keyboard.press('Enter');
    await beto.getByText('Una idea fuera de lugar', { exact: true }).waitFor();
    await carla.getByText('Una idea fuera de lugar', { exact: true }).waitFor();
    await expect.poll(() => fac.evaluate(() => document.activeElement?.id.startsWith('actions-'))).toBe(true);
    await card.getByRole('button', { name: /^Acciones de la idea/ }).click();
    await fac.getByRole('menuitem', { name: /^Ocultar/ }).waitFor();
    expect(await card.getByText(/^Oculta: las personas participantes no ven esta idea$/).count()).toBe(0);
    client.destroy();
  });
});
