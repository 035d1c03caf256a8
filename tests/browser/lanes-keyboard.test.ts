import type { Page } from 'playwright-core';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { connectBoard, createCluster, createWorkshop, join, postIdea } from '../helpers/clients.ts';
import { newPerson, tabUntil, useServerAndBrowser } from '../helpers/browser.ts';

const Q1 = 'desafio-6-p1';

/** The keyboard in a lane (issue 11): moving an idea to a group, where the focus goes after, voting for a group. */
describe('the lanes by keyboard in Chromium', () => {
  const ctx = useServerAndBrowser();

  async function boardWithAGroup() {
    const ws = await createWorkshop(ctx.server.url, ['desafio-6']);
    const boardId = ws.boards[0]!.id;
    const ana = await join(ctx.server.url, ws.code, { name: 'Ana Pérez' });
    const client = connectBoard(ctx.server.wsUrl, boardId, ana.token);
    await client.synced;
    const who = { id: ana.participantId, name: 'Ana Pérez', sector: 'comunidad' };
    const huertos = createCluster(client.doc, { title: 'Huertos', questionId: Q1 });
    const plazas = createCluster(client.doc, { title: 'Plazas', questionId: Q1 });
    postIdea(client.doc, who, { text: 'Huertos comunitarios con riego', questionId: Q1, clusterId: huertos });
    const loose = postIdea(client.doc, who, { text: 'Ferias libres con productores locales', questionId: Q1 });

    const page = await newPerson(ctx.browser);
    const beto = await join(ctx.server.url, ws.code, { name: 'Beto Rojas' });
    await page.goto(ctx.server.url);
    await page.evaluate(({ key, entry }) => localStorage.setItem(key, entry), { key: `minga:part:${ws.code}`, entry: JSON.stringify(beto) });
    await page.goto(`${ctx.server.url}/tablero/${boardId}`);
    await page.getByText('Ferias libres con productores locales', { exact: true }).waitFor();
    return { page, client, loose, huertos, plazas };
  }

  const clusterOf = (doc: Y.Doc, id: string) => (doc.getMap('ideas').get(id) as Y.Map<unknown>).get('clusterId');
  const activeId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? document.activeElement?.tagName);

  it('moves an idea with "Mover a…" only on Enter, arrows just go through the groups; the focus stays on the moved card', async () => {
    const { page, client, loose, plazas } = await boardWithAGroup();
    const card = page.locator('[data-idea-card]', { hasText: 'Ferias libres' });
    await tabUntil(page, () => document.activeElement?.matches('[data-nav-item]') ?? false);
    while (!(await card.evaluate((el) => el === document.activeElement))) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    const menu = page.getByRole('menu');
    await menu.waitFor();

    // Down through every item: nothing moves until Enter.
    const target = menu.getByRole('menuitemradio', { name: 'Plazas' });
    for (let i = 0; i < 10 && !(await target.evaluate((el) => el === document.activeElement)); i++) {
      await page.keyboard.press('ArrowDown');
      await page.waitForTimeout(50);
      expect(clusterOf(client.doc, loose)).toBeNull();
    }
    expect(await target.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    await expect.poll(() => clusterOf(client.doc, loose)).toBe(plazas);

    // The card is drawn anew in "Plazas": the keyboard is on it (its actions), not on <body>.
    await expect.poll(() => activeId(page)).toBe(`actions-${loose}`);
    const moved = page.locator('section.cluster', { has: page.getByRole('heading', { name: 'Plazas' }) }).locator('[data-idea-card]');
    expect(await moved.evaluate((el) => el.contains(document.activeElement))).toBe(true);
    await page.keyboard.press('ArrowDown');
    await page.waitForTimeout(100);
    expect(await activeId(page)).not.toBe('BODY');
    await page.context().close();
    client.destroy();
  });

  it('keeps the focus on a group’s vote button at every press', async () => {
    const { page, client } = await boardWithAGroup();
    const plus = page.getByRole('button', { name: 'Dar un voto a «Huertos»' });
    await plus.focus();
    for (let i = 1; i <= 4; i++) {
      await page.keyboard.press('Enter');
      await page.getByRole('button', { name: new RegExp(`^${i} votos?\\b.*Tuyos: ${i}`) }).first().waitFor();
      expect(await plus.evaluate((el) => el === document.activeElement)).toBe(true);
    }
    const minus = page.getByRole('button', { name: 'Quitar tu voto de «Huertos»' });
    await minus.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: /^3 votos\b.*Tuyos: 3/ }).first().waitFor();
    expect(await minus.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.context().close();
    client.destroy();
  });
});
