import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { connectBoard, connectControl, createCluster, createWorkshop, join, postIdea } from '../helpers/clients.ts';
import { newPerson, useServerAndBrowser } from '../helpers/browser.ts';

/**
 * Light cards (issue 10): on a long list, the blocks of cards far from the screen are drawn light
 * (text, author, sector and dots as plain text, no buttons) and in full once they come near or the
 * keyboard goes into them. Every idea stays in the page for find-in-page and screen readers, every
 * remote change shows once in a light block too, and the focus lands where the person expects.
 */
describe('light cards on a long list', () => {
  const ctx = useServerAndBrowser();
  const WAIT = { timeout: 15_000 };
  const IDEAS = 150;
  const text = (i: number) => `Idea larga ${String(i).padStart(3, '0')}`;

  /** 150 ideas in question 1's ungrouped list (newest first), and the oldest idea alone in a group. */
  async function setUp() {
    const ws = await createWorkshop(ctx.server.url, ['desafio-8']);
    const boardId = ws.boards[0]!.id;
    const info = (await (await fetch(`${ctx.server.url}/api/boards/${boardId}`)).json()) as { challenge: { questions: { id: string; text: string }[] } };
    const q = info.challenge.questions[0]!.id;
    const people = await Promise.all([1, 2].map((n) => join(ctx.server.url, ws.code, { name: `Persona ${n}`, sector: 'universidad' })));
    const writer = connectBoard(ctx.server.wsUrl, boardId, people[1]!.token);
    await writer.synced;
    const who = { id: people[1]!.participantId, name: 'Persona 2', sector: 'universidad' };
    const group = createCluster(writer.doc, { title: 'Agua y riego', questionId: q });
    const ids = [postIdea(writer.doc, who, { text: 'La más antigua', questionId: q, clusterId: group })];
    for (let i = 0; i < IDEAS; i++) ids.push(postIdea(writer.doc, who, { text: text(i), questionId: q }));
    // One millisecond apart, so the list's order (newest first) is the ideas' order.
    const start = Date.now() - 60_000;
    ids.forEach((id, i) => (writer.doc.getMap('ideas').get(id) as Y.Map<unknown>).set('createdAt', start + i));
    const page = await newPerson(ctx.browser);
    await page.goto(`${ctx.server.url}/`);
    await page.evaluate(([c, entry]) => localStorage.setItem(`minga:part:${c}`, entry), [ws.code, JSON.stringify(people[0])] as const);
    await page.goto(`${ctx.server.url}/tablero/${boardId}`);
    await expect.poll(() => page.locator('[data-idea-card]').count(), WAIT).toBe(IDEAS + 1);
    return { ws, boardId, q, people, writer, group, ids, page };
  }

  const lightCards = (page: Page) => page.locator('[data-light-block] [data-idea-card]');
  /** The texts of the cards drawn light now. */
  const lightTexts = (page: Page) => page.evaluate(() => [...document.querySelectorAll('[data-light-block] [data-idea-card] .text')].map((p) => p.textContent ?? ''));

  it('draws far blocks light with every idea readable, and in full when scrolled to', async () => {
    const { writer, page } = await setUp();
    await expect.poll(() => lightCards(page).count(), WAIT).toBeGreaterThan(25);
    // Every idea's words are in the page, light or not (what find-in-page and screen readers read).
    const all = await page.evaluate(() => document.querySelector('.lanes')?.textContent ?? '');
    for (let i = 0; i < IDEAS; i++) expect(all).toContain(text(i));
    const far = lightCards(page).last();
    expect(await far.textContent()).toMatch(/^\s*Idea larga 000\s.*Persona 2.*0 votos\s*$/s);
    expect(await far.locator('button').count()).toBe(0);
    // Blocks not drawn yet reserve a height, never a width: no card is wider than its lane.
    expect(await page.evaluate(() => [...document.querySelectorAll('[data-idea-card]')].filter((c) => c.getBoundingClientRect().width > c.closest('.lane')!.getBoundingClientRect().width).length)).toBe(0);
    // Find-in-page finds a light card's text.
    expect(await page.evaluate((t) => (window as unknown as { find(s: string): boolean }).find(t), text(0))).toBe(true);

    await far.scrollIntoViewIfNeeded();
    const card = page.locator('[data-idea-card]', { hasText: text(0) });
    await card.getByRole('button', { name: `Acciones de la idea «${text(0)}»` }).waitFor(WAIT);
    expect(await card.getByRole('button', { name: /^Dar un voto/ }).count()).toBe(1);
    writer.destroy();
  });

  it('shows every remote change exactly once in a light block: edited, moved, deleted, dots, posted', async () => {
    const { ws, boardId, people, writer, group, ids, page } = await setUp();
    await expect.poll(() => lightCards(page).count(), WAIT).toBeGreaterThan(25);
    const light = await lightTexts(page);
    const idOf = (t: string) => ids[Number(t.slice(-3)) + 1]!;
    const [edited, moved, deleted, dotted] = [light.at(-1)!, light.at(-2)!, light.at(-3)!, light.at(-4)!];
    const ideas = writer.doc.getMap('ideas');
    const cards = (t: string) => page.locator('[data-idea-card]', { hasText: t });

    (ideas.get(idOf(edited)) as Y.Map<unknown>).set('text', 'Editada lejos');
    await expect.poll(() => cards('Editada lejos').count(), WAIT).toBe(1);
    expect(await lightCards(page).filter({ hasText: 'Editada lejos' }).count()).toBe(1);
    expect(await cards(edited).count()).toBe(0);

    (ideas.get(idOf(moved)) as Y.Map<unknown>).set('clusterId', group);
    await expect.poll(() => page.locator(`[data-drop-cluster="${group}"] [data-idea-card]`, { hasText: moved }).count(), WAIT).toBe(1);
    expect(await cards(moved).count()).toBe(1);

    ideas.delete(idOf(deleted));
    await expect.poll(() => cards(deleted).count(), WAIT).toBe(0);

    const voter = await connectControl(ctx.server.url, people[1]!.token);
    await voter.emitWithAck('board:join', { boardId });
    expect(await voter.emitWithAck('vote:cast', { boardId, targetId: idOf(dotted), delta: 1 })).toMatchObject({ ok: true });
    await expect.poll(() => lightCards(page).filter({ hasText: dotted }).textContent(), WAIT).toContain('1 voto');
    voter.close();

    postIdea(writer.doc, { id: people[1]!.participantId, name: 'Persona 2', sector: 'universidad' }, { text: 'Recién llegada', questionId: (ideas.get(ids[0]!) as Y.Map<string>).get('questionId')! });
    await expect.poll(() => cards('Recién llegada').count(), WAIT).toBe(1);
    await expect.poll(() => page.locator('[data-idea-card]').count(), WAIT).toBe(IDEAS + 1);
    expect(ws.code).toBeTruthy();
    writer.destroy();
  });

  it('draws a light block in full when the arrow keys or "Mover a" take the focus into it, and keeps the focus there', async () => {
    const { writer, page } = await setUp();
    await expect.poll(() => lightCards(page).count(), WAIT).toBeGreaterThan(25);
    const active = () => page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return { tag: el?.tagName, label: el?.getAttribute('aria-label') ?? '', card: el?.closest('[data-idea-card]')?.querySelector('.text')?.textContent ?? null, light: !!el?.closest('[data-light-block]') };
    });

    // ↓ from the last card drawn in full: the first card of the next, light, block takes the focus and keeps it.
    const [lastFull, firstLight] = await page.evaluate(() => {
      const cards = [...document.querySelectorAll<HTMLElement>('.ungrouped [data-idea-card]')];
      const at = cards.findIndex((c) => c.closest('[data-light-block]'));
      return [cards[at - 1]?.querySelector('.text')?.textContent ?? '', cards[at]?.querySelector('.text')?.textContent ?? ''];
    });
    expect(firstLight).toMatch(/^Idea larga/);
    await page.locator('[data-idea-card]', { hasText: lastFull }).focus();
    await page.keyboard.press('ArrowDown');
    await expect.poll(active, WAIT).toMatchObject({ tag: 'LI', card: firstLight, light: false });
    await page.keyboard.press('ArrowRight');
    expect(await active()).toMatchObject({ tag: 'BUTTON', card: firstLight });
    expect((await active()).label).toMatch(/^Quitar tu voto/);

    // "Mover a" → "Sin grupo": the oldest idea goes to the end of the list, into a light block; the focus follows it.
    expect(await page.evaluate(() => document.querySelector('.ungrouped .blocks > ul:last-child')?.hasAttribute('data-light-block'))).toBe(true);
    await page.getByRole('button', { name: 'Acciones de la idea «La más antigua»' }).click();
    await page.getByRole('menu').waitFor();
    await page.getByRole('menuitemradio', { name: 'Sin grupo' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(active, WAIT).toMatchObject({ card: 'La más antigua', label: 'Acciones de la idea «La más antigua»', light: false });
    expect(await page.evaluate(() => document.querySelector('.ungrouped .blocks > ul:last-child')?.textContent)).toContain('La más antigua');
    writer.destroy();
  });
});
