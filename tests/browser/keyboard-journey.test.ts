import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { connectBoard, createWorkshop } from '../helpers/clients.ts';
import { newPerson, tabUntil, useServerAndBrowser } from '../helpers/browser.ts';

const Q1 = 'desafio-6-p1';
const FIRST = 'Huertos comunitarios con riego por goteo';
const SECOND = 'Ferias libres con productores locales';
/** How buttons name an idea: its first 40 characters. */
const short = (text: string) => (text.length > 40 ? `${text.slice(0, 40)}…` : text);

/**
 * Issue 11: the whole journey by keyboard alone (Tab, Shift+Tab, Enter, arrows, typing; never a
 * click), with where the focus is after every step: join, post two ideas, create a group, move
 * an idea into it, vote, switch to the list view and read the idea under its group with its vote.
 */
describe('the keyboard-only journey in Chromium', () => {
  const ctx = useServerAndBrowser();

  /** What has the focus: its tag, id, accessible-ish name and text, for asserting and for messages. */
  const focused = (page: Page) =>
    page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return {
        tag: el?.tagName.toLowerCase() ?? '',
        id: el?.id ?? '',
        label: el?.getAttribute('aria-label') ?? '',
        pressed: el?.getAttribute('aria-pressed') ?? null,
        text: (el?.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 200)
      };
    });

  async function shiftTabUntil(page: Page, isTarget: () => boolean, maxPresses = 80) {
    for (let i = 0; i < maxPresses; i++) {
      await page.keyboard.press('Shift+Tab');
      if (await page.evaluate(isTarget)) return;
    }
    throw new Error(`Shift+Tab never reached the target (focus on ${JSON.stringify(await focused(page))})`);
  }

  it('joins, posts two ideas, makes a group, moves an idea into it, votes and reads it in the list view', async () => {
    const ws = await createWorkshop(ctx.server.url, ['desafio-6']);
    const boardId = ws.boards[0]!.id;
    const page = await newPerson(ctx.browser);

    // Join: the form by keyboard; after "Unirme" the focus is on the workshop's heading.
    await page.goto(`${ctx.server.url}/taller/${ws.code}`);
    await page.locator('#join-name').waitFor();
    await tabUntil(page, () => document.activeElement?.id === 'join-name');
    await page.keyboard.type('Rosa Huanca');
    await page.keyboard.press('Tab');
    expect((await focused(page)).id).toBe('join-sector');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Tab');
    expect((await focused(page)).id).toBe('join-comuna');
    await page.keyboard.press('ArrowDown');
    expect(await page.locator('#join-sector').inputValue()).not.toBe('');
    expect(await page.locator('#join-comuna').inputValue()).not.toBe('');
    await tabUntil(page, () => (document.activeElement as HTMLButtonElement | null)?.type === 'submit');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Taller de prueba' }).waitFor();
    await expect.poll(() => focused(page)).toMatchObject({ tag: 'h1', text: 'Taller de prueba' });

    // To the board through its link.
    await tabUntil(page, () => document.activeElement?.tagName === 'A' && /\/tablero\//.test((document.activeElement as HTMLAnchorElement).href));
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`/tablero/${boardId}$`));
    const field = page.locator(`#new-${Q1}`);
    await field.waitFor();
    await expect.poll(() => field.isEnabled()).toBe(true);

    // Two ideas: the first with Enter in the field, the second with the "Publicar" button; the
    // focus is back in the field after each (the button turns disabled once the field is empty).
    await tabUntil(page, (() => document.activeElement?.id === 'new-desafio-6-p1') as () => boolean, 120);
    await page.keyboard.type(FIRST);
    await page.keyboard.press('Enter');
    await page.locator('[data-idea-card]', { hasText: FIRST }).waitFor();
    expect((await focused(page)).id).toBe(`new-${Q1}`);
    await page.keyboard.type(SECOND);
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ tag: 'button', text: 'Publicar' });
    await page.keyboard.press('Enter');
    await page.locator('[data-idea-card]', { hasText: SECOND }).waitFor();
    await expect.poll(async () => (await focused(page)).id).toBe(`new-${Q1}`);

    // A group: "+ Nuevo grupo" opens its title ready to type; Enter saves and keeps the keyboard on "Renombrar".
    await tabUntil(page, () => document.activeElement?.textContent?.trim() === '+ Nuevo grupo');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await focused(page)).id).toMatch(/^title-/);
    await page.keyboard.press('Control+A');
    await page.keyboard.type('Huertos');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await focused(page)).label).toBe('Renombrar el grupo «Huertos»');

    // Move the first idea into it: arrows to its card, Enter opens its actions, arrows to «Huertos», Enter.
    const card = page.locator('[data-idea-card]', { hasText: FIRST });
    for (let i = 0; i < 10 && !(await card.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('ArrowDown');
    expect(await card.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    const menu = page.getByRole('menu');
    await menu.waitFor();
    expect((await focused(page)).tag).toBe('button');
    const target = menu.getByRole('menuitemradio', { name: 'Huertos' });
    for (let i = 0; i < 10 && !(await target.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    const group = page.locator('section.cluster', { has: page.getByRole('heading', { name: 'Huertos' }) });
    await group.locator('[data-idea-card]', { hasText: FIRST }).waitFor();
    await expect.poll(async () => (await focused(page)).label).toBe(`Acciones de la idea «${short(FIRST)}»`);
    expect(await group.evaluate((el) => el.contains(document.activeElement))).toBe(true);

    // Vote: ← from its actions to "+" (the card's own controls), Enter; the focus stays on "+".
    const plus = `Dar un voto a «${short(FIRST)}»`;
    for (let i = 0; i < 8 && (await focused(page)).label !== plus; i++) await page.keyboard.press('ArrowLeft');
    expect((await focused(page)).label).toBe(plus);
    await page.keyboard.press('Enter');
    await group.getByRole('button', { name: /^1 voto\b.*Tuyos: 1/ }).waitFor();
    expect((await focused(page)).label).toBe(plus);

    // The list view: back to the toolbar, Enter on "Vista de lista"; the focus stays on that button.
    await shiftTabUntil(page, () => document.activeElement?.textContent?.trim() === 'Vista de lista');
    expect((await focused(page)).pressed).toBe('false');
    await page.keyboard.press('Enter');
    const list = page.getByRole('region', { name: 'El tablero como lista: preguntas, grupos e ideas' });
    await list.waitFor();
    expect(await focused(page)).toMatchObject({ text: 'Vista de lista', pressed: 'true' });
    expect(await page.locator('.lanes').count()).toBe(0);
    expect(new URL(page.url()).searchParams.get('vista')).toBe('lista');

    // Read it: the question is a heading, «Huertos» a heading under it, the idea in its list with its vote in words.
    const question = list.locator(`#list-${Q1}`);
    expect(await question.getByRole('heading', { level: 2 }).textContent()).toMatch(/^\s*Pregunta 1:/);
    const huertos = question.locator('.group', { has: page.getByRole('heading', { level: 3, name: 'Huertos' }) });
    const item = huertos.getByRole('listitem').filter({ hasText: FIRST });
    expect(await item.count()).toBe(1);
    expect(await item.locator('.words').textContent()).toMatch(/^\s*1 voto \(.+: 1\)\. Apoyo transversal: [\d,]+\. Tuyos: 1\. Apoyo por sector: .+: 1 de 1 votante$/);
    const loose = question.locator('.group', { has: page.getByRole('heading', { level: 3, name: 'Sin grupo' }) });
    expect(await loose.getByRole('listitem').filter({ hasText: SECOND }).count()).toBe(1);

    // …and use it by keyboard: Tab from the toggle reaches the idea's "+" under «Huertos»; a second vote, focus kept.
    await tabUntil(page, (() => document.activeElement?.getAttribute('aria-label')?.startsWith('Dar un voto a «Huertos comunitarios') ?? false) as () => boolean, 80);
    expect(await huertos.evaluate((el) => el.contains(document.activeElement))).toBe(true);
    await page.keyboard.press('Enter');
    await item.getByText(/^\s*2 votos/).waitFor();
    expect((await focused(page)).label).toBe(plus);

    // Another person sees the same board: the votes reached the doc (the list wrote to the real board).
    const client = connectBoard(ctx.server.wsUrl, boardId, (await page.evaluate((code) => JSON.parse(localStorage.getItem(`minga:part:${code}`)!).token as string, ws.code)));
    await client.synced;
    const dots = [...client.doc.getMap<number>('votes').values()].reduce((a, b) => a + b, 0);
    expect(dots).toBe(2);
    client.destroy();

    // Remembered on this device: a reload opens the list again.
    await page.goto(`${ctx.server.url}/tablero/${boardId}`);
    await list.waitFor();
    expect(await page.locator('.lanes').count()).toBe(0);
    await page.context().close();
  }, 90_000);

  it('opens the list view from ?vista=lista, and "Vista de tablero" goes back to the lanes with the focus on it', async () => {
    const ws = await createWorkshop(ctx.server.url, ['desafio-6']);
    const boardId = ws.boards[0]!.id;
    const page = await newPerson(ctx.browser, { width: 360, height: 780 });
    await page.goto(`${ctx.server.url}/taller/${ws.code}`);
    await page.locator('#join-name').fill('Ana');
    await page.locator('#join-sector').selectOption({ index: 1 });
    await page.locator('#join-comuna').selectOption({ index: 1 });
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Taller de prueba' }).waitFor();
    await page.goto(`${ctx.server.url}/tablero/${boardId}?vista=lista`);
    await page.getByRole('region', { name: 'El tablero como lista: preguntas, grupos e ideas' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    const back = page.getByRole('button', { name: 'Vista de tablero' });
    await back.focus();
    await page.keyboard.press('Enter');
    await page.locator('.lanes').waitFor();
    expect(await back.evaluate((el) => el === document.activeElement && el.getAttribute('aria-pressed') === 'true')).toBe(true);
    expect(new URL(page.url()).searchParams.has('vista')).toBe(false);
    await page.context().close();
  });
});
