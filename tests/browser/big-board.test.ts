import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { connectBoard, connectControl, createCluster, createWorkshop, join, postIdea, type BoardClient } from '../helpers/clients.ts';
import { newPerson, tabUntil, useServerAndBrowser } from '../helpers/browser.ts';

/**
 * Big boards in Chromium (issue 10): the page redraws only what changed but shows every remote
 * change, exactly once; search, filters, compact view, collapse and "Ir a" work from the keyboard;
 * the projector fits all six questions of Desafío 8; following a far question never pushes the page
 * sideways.
 */
describe('big boards in Chromium', () => {
  const ctx = useServerAndBrowser();
  const WAIT = { timeout: 15_000 };

  async function setUp(ideas = 60) {
    const ws = await createWorkshop(ctx.server.url, ['desafio-8']);
    const boardId = ws.boards[0]!.id;
    const info = (await (await fetch(`${ctx.server.url}/api/boards/${boardId}`)).json()) as { challenge: { questions: { id: string; text: string }[] } };
    const questions = info.challenge.questions;
    const people = await Promise.all(
      (['comunidad', 'universidad', 'mipyme'] as const).map((sector, i) => join(ctx.server.url, ws.code, { name: `Persona ${i + 1}`, sector }))
    );
    const clients = people.map((p) => connectBoard(ctx.server.wsUrl, boardId, p.token));
    await Promise.all(clients.map((c) => c.synced));
    const who = people.map((p, i) => ({ id: p.participantId, name: `Persona ${i + 1}`, sector: ['comunidad', 'universidad', 'mipyme'][i]! }));
    const group = createCluster(clients[0]!.doc, { title: 'Agua y riego', questionId: questions[0]!.id });
    for (let i = 0; i < ideas; i++) {
      postIdea(clients[i % 3]!.doc, who[i % 3]!, { text: `Idea número ${i} sobre ${i % 2 ? 'turismo rural' : 'pesca artesanal'}`, questionId: questions[i % questions.length]!.id, clusterId: i % 4 === 0 ? group : null });
    }
    const control = await connectControl(ctx.server.url, ws.facilitatorToken);
    const command = (cmd: Record<string, unknown>) => control.emitWithAck('session:command', { boardId, ...cmd } as never);
    return { ws, boardId, questions, people, who, clients, group, control, command };
  }

  /** Opens the board as the facilitator (their one-time link) or as a participant who joined earlier. */
  async function openAs(page: Page, code: string, boardId: string, facilitatorToken?: string, participant?: { token: string; participantId: string }) {
    if (facilitatorToken) {
      await page.goto(`${ctx.server.url}/taller/${code}/facilitar#${facilitatorToken}`);
      await page.getByRole('heading', { name: 'Taller de prueba' }).waitFor();
    } else {
      await page.goto(`${ctx.server.url}/`);
      await page.evaluate(([c, entry]) => localStorage.setItem(`minga:part:${c}`, entry), [code, JSON.stringify(participant)] as const);
    }
    await page.goto(`${ctx.server.url}/tablero/${boardId}`);
    await page.getByLabel('Nueva idea').first().waitFor();
  }

  const cardsWith = (page: Page, text: string) => page.locator('[data-idea-card]', { hasText: text });
  const close = (clients: BoardClient[], control: { close(): void }) => {
    for (const c of clients) c.destroy();
    control.close();
  };

  it('shows every remote change exactly once: posted, edited, moved, deleted and revealed', async () => {
    const { ws, boardId, questions, people, who, clients, group, control, command } = await setUp(40);
    const page = await newPerson(ctx.browser);
    await openAs(page, ws.code, boardId, ws.facilitatorToken);
    await expect.poll(() => page.locator('[data-idea-card]').count(), WAIT).toBe(40);
    const a = clients[0]!;

    const id = postIdea(a.doc, who[0]!, { text: 'Recién llegada desde otro teléfono', questionId: questions[1]!.id });
    await expect.poll(() => cardsWith(page, 'Recién llegada').count(), WAIT).toBe(1);
    (a.doc.getMap('ideas').get(id) as Y.Map<unknown>).set('text', 'Editada en otro teléfono');
    await expect.poll(() => cardsWith(page, 'Editada en otro teléfono').count(), WAIT).toBe(1);
    expect(await cardsWith(page, 'Recién llegada').count()).toBe(0);

    // Moved into a group of another question's lane is "ungrouped" there; into its own lane's group it moves in.
    (a.doc.getMap('ideas').get(id) as Y.Map<unknown>).set('questionId', questions[0]!.id);
    (a.doc.getMap('ideas').get(id) as Y.Map<unknown>).set('clusterId', group);
    const inGroup = page.locator(`[data-drop-cluster="${group}"]`).locator('[data-idea-card]', { hasText: 'Editada en otro teléfono' });
    await expect.poll(() => inGroup.count(), WAIT).toBe(1);
    expect(await cardsWith(page, 'Editada en otro teléfono').count()).toBe(1);

    a.doc.getMap('ideas').delete(id);
    await expect.poll(() => cardsWith(page, 'Editada en otro teléfono').count(), WAIT).toBe(0);

    // Private ideation: nothing shows until the facilitator reveals, then each idea shows once.
    expect(await command({ action: 'start', privateIdeation: true })).toMatchObject({ ok: true });
    const mine = connectBoard(ctx.server.wsUrl, `${boardId}:private:${people[1]!.participantId}`, people[1]!.token);
    await mine.synced;
    for (const n of [1, 2, 3]) postIdea(mine.doc, who[1]!, { text: `Idea privada ${n}`, questionId: questions[2]!.id });
    await new Promise((r) => setTimeout(r, 500));
    expect(await cardsWith(page, 'Idea privada').count()).toBe(0);
    expect(await command({ action: 'reveal' })).toMatchObject({ ok: true });
    for (const n of [1, 2, 3]) await expect.poll(() => cardsWith(page, `Idea privada ${n}`).count(), WAIT).toBe(1);
    await expect.poll(() => page.locator('[data-idea-card]').count(), WAIT).toBe(43);
    mine.destroy();
    close(clients, control);
  });

  it('searches, filters, compacts, collapses and jumps from the keyboard', async () => {
    const { ws, boardId, questions, people, clients, control } = await setUp(60);
    const page = await newPerson(ctx.browser);
    await openAs(page, ws.code, boardId, undefined, people[0]!);
    await expect.poll(() => page.locator('[data-idea-card]').count(), WAIT).toBe(60);

    await tabUntil(page, () => document.activeElement?.id === 'board-search', 120);
    await page.keyboard.type('turismo');
    await expect.poll(() => page.locator('[data-idea-card]').count()).toBe(30);
    await page.getByRole('status').filter({ hasText: '30 de 60 ideas a la vista' }).waitFor();
    // Accents do not matter: "pesca artesanal" is found as "ARTESANAL" too.
    await page.keyboard.press('Control+A');
    await page.keyboard.type('ARTESANAL numero 2');
    await expect.poll(() => page.locator('[data-idea-card]').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-idea-card]', { hasNotText: 'pesca artesanal' }).count()).toBe(0);
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');

    // Sector: keyboard on the select; "Mías": Space on the checkbox.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('filter-sector');
    await page.locator('#filter-sector').selectOption('universidad');
    await expect.poll(() => page.locator('[data-idea-card]').count()).toBe(20);
    await page.locator('#filter-sector').selectOption('');
    await page.getByRole('checkbox', { name: 'Mías' }).focus();
    await page.keyboard.press('Space');
    await expect.poll(() => page.locator('[data-idea-card]').count()).toBe(20);
    expect(await page.locator('[data-idea-card]', { hasNotText: 'Persona 1' }).count()).toBe(0);
    await page.keyboard.press('Space');
    await page.getByRole('checkbox', { name: 'Sin grupo' }).focus();
    await page.keyboard.press('Space');
    // Only ideas of question 1 can sit in its group (5 of them): the other 55 are ungrouped.
    await expect.poll(() => page.locator('[data-idea-card]').count()).toBe(55);
    await page.keyboard.press('Space');

    // Compact view: the toggle says it is pressed; cards become one row, whose text has most of
    // its width (beside −/+ and "Acciones" in a narrow lane it kept some seven characters).
    const compact = page.getByRole('button', { name: 'Vista compacta' });
    await compact.focus();
    await page.keyboard.press('Enter');
    expect(await compact.getAttribute('aria-pressed')).toBe('true');
    const row = await page.locator('.cluster [data-idea-card]').first().evaluate((el) => {
      const text = el.querySelector('.text')!.getBoundingClientRect();
      return { height: el.getBoundingClientRect().height, textShare: text.width / el.getBoundingClientRect().width };
    });
    expect(row.height).toBeLessThan(60);
    expect(row.textShare).toBeGreaterThan(0.45);

    // Collapse question 2, then "Ir a" question 6 puts the focus on its heading.
    const collapse = page.getByRole('button', { name: 'Contraer la pregunta 2' });
    await collapse.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Expandir la pregunta 2' }).waitFor();
    expect(await page.locator(`#lane-body-${questions[1]!.id}`).isHidden()).toBe(true);
    await page.getByRole('button', { name: /^Ir a la pregunta 6/ }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe(`q-${questions[5]!.id}`);
    close(clients, control);
  });

  it('fits the six questions of Desafío 8 on a 1920×1080 wall, and brings the focused one into view at 1280×720', async () => {
    const { ws, boardId, questions, clients, who, control, command } = await setUp(120);
    // A group as people name them, with a vote: long words and a total beside the title.
    for (const q of questions) {
      const long = createCluster(clients[1]!.doc, { title: 'Emprendimiento sustentable', questionId: q.id });
      postIdea(clients[1]!.doc, who[1]!, { text: 'Financiar huertos comunitarios en Río Hurtado en horario vespertino', questionId: q.id, clusterId: long });
    }
    for (const [viewport, focus] of [
      [{ width: 1920, height: 1080 }, null],
      [{ width: 1280, height: 720 }, 5]
    ] as const) {
      const page = await newPerson(ctx.browser, viewport);
      await page.goto(`${ctx.server.url}/taller/${ws.code}/facilitar#${ws.facilitatorToken}`);
      await page.getByRole('heading', { name: 'Taller de prueba' }).waitFor();
      await page.goto(`${ctx.server.url}/tablero/${boardId}/proyector`);
      await page.getByText(/^Idea número 0 /).waitFor();
      if (focus !== null) expect(await command({ action: 'focus', questionId: questions[focus]!.id })).toMatchObject({ ok: true });
      const targets = focus === null ? questions : [questions[focus]!];
      for (const q of targets) {
        const heading = page.getByRole('heading', { name: q.text });
        await heading.waitFor(WAIT);
        const box = (await heading.boundingBox())!;
        expect(box.x).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width).toBeLessThanOrEqual(viewport.width);
        expect(box.y + Math.min(box.height, 40)).toBeLessThanOrEqual(viewport.height);
      }
      expect(await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight])).toEqual([viewport.width, viewport.height]);
      // Nothing is cut at a column's right edge: every idea, group title and vote total fits its question.
      const clipped = await page.evaluate(() =>
        [...document.querySelectorAll('section[aria-labelledby^="pq-"]')].flatMap((q) => {
          const right = q.getBoundingClientRect().right;
          return [...q.querySelectorAll('li, h3, h3 > span')].filter((el) => el.getBoundingClientRect().right > right + 0.5).map((el) => el.textContent?.trim());
        })
      );
      expect(clipped).toEqual([]);
      await page.close();
    }
    close(clients, control);
  });

  it('never scrolls the page sideways when the facilitator follows and focuses any question', async () => {
    const { ws, boardId, questions, people, clients, control, command } = await setUp(60);
    const page = await newPerson(ctx.browser, { width: 1280, height: 800 });
    await openAs(page, ws.code, boardId, undefined, people[0]!);
    await expect.poll(() => page.locator('[data-idea-card]').count(), WAIT).toBe(60);
    expect(await command({ action: 'follow', on: true })).toMatchObject({ ok: true });
    for (const q of [...questions].reverse()) {
      expect(await command({ action: 'focus', questionId: q.id })).toMatchObject({ ok: true });
      await page.locator(`#lane-${q.id}.focused`).waitFor(WAIT);
      await page.waitForTimeout(400); // the smooth scroll
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(1280);
      expect(await page.evaluate(() => scrollX)).toBe(0);
    }
    close(clients, control);
  });

  it('draws ideas received in quick succession together, and one posted here at once', async () => {
    const { ws, boardId, questions, people, who, clients, control } = await setUp(20);
    const page = await newPerson(ctx.browser);
    await openAs(page, ws.code, boardId, undefined, people[0]!);
    await expect.poll(() => page.locator('[data-idea-card]').count(), WAIT).toBe(20);
    // Count the moments the number of cards on the page changed (one per redraw that added any).
    await page.evaluate(() => {
      const w = window as unknown as { redraws: number };
      w.redraws = 0;
      let last = document.querySelectorAll('[data-idea-card]').length;
      new MutationObserver(() => {
        const n = document.querySelectorAll('[data-idea-card]').length;
        if (n === last) return;
        w.redraws++;
        last = n;
      }).observe(document.body, { childList: true, subtree: true });
    });
    for (let i = 0; i < 12; i++) {
      postIdea(clients[1]!.doc, who[1]!, { text: `Seguida ${i}`, questionId: questions[0]!.id, clusterId: null });
      await page.waitForTimeout(10);
    }
    await expect.poll(() => page.locator('[data-idea-card]').count(), WAIT).toBe(32);
    // 12 changes over ~150 ms: one or two redraws (three if one straddles a window), not twelve.
    expect(await page.evaluate(() => (window as unknown as { redraws: number }).redraws)).toBeLessThanOrEqual(4);
    // A change made here is drawn by itself, not held back with the received ones.
    await page.getByLabel('Nueva idea').first().fill('Mía, ahora');
    await page.getByLabel('Nueva idea').first().press('Enter');
    await page.locator('[data-idea-card]', { hasText: 'Mía, ahora' }).waitFor(WAIT);
    close(clients, control);
  });

  it('keeps the focus on a card far down a long list while others post new ideas above it', async () => {
    // The cards come in blocks that skip layout off screen (IdeaChunks); a block redrawn under a
    // focused card would drop the focus to <body>, so the newest-first list counts blocks from its end.
    const { ws, boardId, questions, people, who, clients, control } = await setUp(0);
    for (let i = 0; i < 60; i++) postIdea(clients[i % 3]!.doc, who[i % 3]!, { text: `Antigua ${i}`, questionId: questions[0]!.id, clusterId: null });
    const page = await newPerson(ctx.browser);
    await openAs(page, ws.code, boardId, undefined, people[0]!);
    await expect.poll(() => page.locator('[data-idea-card]').count(), WAIT).toBe(60);
    const button = page.getByRole('button', { name: 'Acciones de la idea «Antigua 1»' });
    // Far down, its block is drawn light (no buttons) until the person gets there (IdeaBlock).
    await page.getByText('Antigua 1', { exact: true }).scrollIntoViewIfNeeded();
    await button.focus();
    await page.evaluate(() => ((document.activeElement as HTMLElement & { mark?: number }).mark = 1));
    for (let i = 0; i < 30; i++) {
      postIdea(clients[i % 3]!.doc, who[i % 3]!, { text: `Nueva ${i}`, questionId: questions[0]!.id, clusterId: null });
      await page.waitForTimeout(20);
    }
    await expect.poll(() => page.locator('[data-idea-card]').count(), WAIT).toBe(90);
    expect(await page.evaluate(() => (document.activeElement as HTMLElement & { mark?: number }).mark)).toBe(1);
    expect(await page.evaluate(() => document.activeElement?.closest('[data-idea-card]')?.textContent)).toContain('Antigua 1');
    close(clients, control);
  });

  it('gives each lane one Tab stop: arrows move between cards and their buttons, focus survives moves and votes', async () => {
    const { ws, boardId, questions, people, clients, control } = await setUp(60);
    const page = await newPerson(ctx.browser);
    await openAs(page, ws.code, boardId, undefined, people[0]!);
    await expect.poll(() => page.locator('[data-idea-card]').count(), WAIT).toBe(60);
    const active = () => page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return { id: el?.id ?? '', card: el?.closest('[data-idea-card]')?.textContent?.match(/Idea número \d+/)?.[0] ?? null, tag: el?.tagName, label: el?.getAttribute('aria-label') ?? '' };
    });

    // From question 1's "Nueva idea" to question 2's: a handful of Tab presses, not one per card.
    await page.locator(`#new-${questions[0]!.id}`).focus();
    let presses = 0;
    while ((await active()).id !== `new-${questions[1]!.id}` && presses < 30) {
      await page.keyboard.press('Tab');
      presses++;
    }
    expect((await active()).id).toBe(`new-${questions[1]!.id}`);
    expect(presses).toBeLessThan(12);

    // Into question 1's list: the first item (the group's head), then ↓ to a card, → to its buttons.
    await page.locator(`#new-${questions[0]!.id}`).focus();
    while ((await active()).tag !== 'LI' && !(await page.evaluate(() => document.activeElement?.hasAttribute('data-nav-item')))) await page.keyboard.press('Tab');
    await page.keyboard.press('ArrowDown');
    const first = (await active()).card;
    expect(first).not.toBeNull();
    await page.keyboard.press('ArrowDown');
    const second = (await active()).card;
    expect(second).not.toBe(first);
    await page.keyboard.press('ArrowUp');
    expect((await active()).card).toBe(first);
    await page.keyboard.press('ArrowRight');
    expect((await active()).label).toMatch(/^Quitar tu voto/);
    // + gives a dot; the focus stays on the button, also when − becomes unavailable again.
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect((await active()).label).toMatch(/^Dar un voto/);
    await page.keyboard.press('Enter');
    await page.getByText('Te quedan 4 votos').waitFor(WAIT);
    expect((await active()).label).toMatch(/^Dar un voto/);
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Enter');
    await page.getByText('Te quedan 5 votos').waitFor(WAIT);
    expect((await active()).label).toMatch(/^Quitar tu voto/);

    // Enter on the card opens its actions; moving it keeps the focus on the moved card.
    await page.keyboard.press('ArrowLeft');
    expect((await active()).tag).toBe('LI');
    const moved = (await active()).card!;
    await page.keyboard.press('Enter');
    await page.getByRole('menu').waitFor();
    await page.getByRole('menuitemradio', { name: 'Sin grupo' }).focus();
    const wasGrouped = await page.getByRole('menuitemradio', { name: 'Sin grupo' }).getAttribute('aria-checked');
    const target = wasGrouped === 'true' ? page.getByRole('menuitemradio', { name: 'Agua y riego' }) : page.getByRole('menuitemradio', { name: 'Sin grupo' });
    await target.focus();
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await active()).card, WAIT).toBe(moved);
    close(clients, control);
  });
});
