import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { MAX_IDEA_CHARS } from '../../contract/board-document.ts';
import { connectBoard, connectControl, createCluster, createWorkshop, join, postIdea } from '../helpers/clients.ts';
import { newPerson, useServerAndBrowser } from '../helpers/browser.ts';

const Q1 = 'desafio-6-p1';
type Box = { x: number; y: number; width: number; height: number };

/** Small defects of issue 11: a paste past the limit, the "Llevar a la sección…" menu, "Otra comuna", the toolbar on a phone. */
describe('board details in Chromium', () => {
  const ctx = useServerAndBrowser();

  async function onBoard(code: string, boardId: string, viewport?: { width: number; height: number }, locale?: string): Promise<Page> {
    const page = await newPerson(ctx.browser, viewport, locale);
    const beto = await join(ctx.server.url, code, { name: 'Beto 🌱 Rojas' });
    await page.goto(ctx.server.url);
    await page.evaluate(({ key, entry }) => localStorage.setItem(key, entry), { key: `minga:part:${code}`, entry: JSON.stringify(beto) });
    await page.goto(`${ctx.server.url}/tablero/${boardId}`);
    await page.getByLabel('Nueva idea').first().waitFor();
    return page;
  }

  it('says so when a paste is cut at the limit, with the counter', async () => {
    const ws = await createWorkshop(ctx.server.url, ['desafio-6']);
    const page = await onBoard(ws.code, ws.boards[0]!.id);
    const field = page.getByLabel('Nueva idea').first();
    const long = 'a'.repeat(MAX_IDEA_CHARS + 23);
    await field.focus();
    // A real paste: the text goes through the clipboard and Ctrl+V.
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.evaluate((text) => navigator.clipboard.writeText(text), long);
    await page.keyboard.press('Control+V');
    await expect.poll(() => field.inputValue().then((v) => v.length)).toBe(MAX_IDEA_CHARS);
    const said = `Se pegó solo lo que cabe: quedaron fuera 23 caracteres (una idea admite hasta ${MAX_IDEA_CHARS}).`;
    const notice = page.locator('.new-idea p', { hasText: said });
    await notice.waitFor();
    await page.getByText(`${MAX_IDEA_CHARS}/${MAX_IDEA_CHARS}`).waitFor();
    const describedBy = (await field.getAttribute('aria-describedby')) ?? '';
    const described = await Promise.all(describedBy.split(' ').map((id) => page.locator(`[id="${id}"]`).textContent()));
    expect(described.join(' ')).toContain(said);
    await expect.poll(() => page.locator('div.visually-hidden[role="status"]').textContent()).toBe(said);
    // Typing again: the notice goes, the counter stays.
    await page.keyboard.press('Backspace');
    await notice.waitFor({ state: 'detached' });
    await page.context().close();
  });

  it('opens "Llevar a la sección…" inside the viewport wherever its button is, on a small phone', async () => {
    const ws = await createWorkshop(ctx.server.url, ['desafio-6']);
    const boardId = ws.boards[0]!.id;
    const ana = await join(ctx.server.url, ws.code, { name: 'Ana Pérez' });
    const client = connectBoard(ctx.server.wsUrl, boardId, ana.token);
    await client.synced;
    const cluster = createCluster(client.doc, { title: 'Huertos', questionId: Q1 });
    postIdea(client.doc, { id: ana.participantId, name: 'Ana Pérez', sector: 'comunidad' }, { text: 'Huertos comunitarios', questionId: Q1, clusterId: cluster });
    const page = await onBoard(ws.code, boardId, { width: 360, height: 560 });
    const button = page.getByRole('button', { name: /^Llevar el grupo «Huertos»/ });
    await button.waitFor();
    for (const at of [0.15, 0.4, 0.55, 0.85]) {
      // Scroll so that the button sits at this fraction of the viewport's height.
      await button.evaluate((el, f) => window.scrollBy(0, el.getBoundingClientRect().top - innerHeight * f), at);
      await page.waitForTimeout(100);
      await button.click();
      const menu = page.getByRole('menu', { name: 'Llevar a la sección…' });
      await menu.waitFor();
      const box = (await menu.boundingBox())!;
      expect(box.y, `button at ${at * 100}% of the viewport`).toBeGreaterThanOrEqual(0);
      expect(box.y + box.height, `button at ${at * 100}% of the viewport`).toBeLessThanOrEqual(560);
      await page.keyboard.press('Escape');
      await menu.waitFor({ state: 'hidden' });
    }
    await page.context().close();
    client.destroy();
  });

  it('names "Otra comuna" in English too', async () => {
    const ws = await createWorkshop(ctx.server.url, ['desafio-6']);
    const page = await newPerson(ctx.browser, undefined, 'en');
    await page.addInitScript(() => localStorage.setItem('minga:lang', 'en'));
    await page.goto(`${ctx.server.url}/taller/${ws.code}`);
    const comuna = page.getByLabel('Comuna');
    await comuna.waitFor();
    const labels = await comuna.locator('option').allTextContents();
    expect(labels).toContain('Another comuna');
    expect(labels).not.toContain('Otra comuna');
    expect(labels).toContain('La Serena');
    // The stored value stays the reference list's.
    await comuna.selectOption({ label: 'Another comuna' });
    expect(await comuna.inputValue()).toBe('Otra comuna');
    await page.context().close();
  });

  it('keeps the sticky toolbar low on a 360 px phone, its pills side by side without overlapping', async () => {
    const ws = await createWorkshop(ctx.server.url, ['desafio-6']);
    const boardId = ws.boards[0]!.id;
    const control = await connectControl(ctx.server.url, ws.facilitatorToken);
    expect((await control.emitWithAck('session:command', { boardId, action: 'start' })).ok).toBe(true);
    expect((await control.emitWithAck('session:command', { boardId, action: 'next' })).ok).toBe(true);
    expect((await control.emitWithAck('session:command', { boardId, action: 'next' })).ok).toBe(true);
    for (const [locale, locked] of [['es-CL', false], ['en', false], ['es-CL', true]] as const) {
      if (locked) expect((await control.emitWithAck('session:command', { boardId, action: 'lock' })).ok).toBe(true);
      const page = await newPerson(ctx.browser, { width: 360, height: 780 }, locale);
      if (locale === 'en') await page.addInitScript(() => localStorage.setItem('minga:lang', 'en'));
      const beto = await join(ctx.server.url, ws.code, { name: 'Beto Rojas' });
      await page.goto(ctx.server.url);
      await page.evaluate(({ key, entry }) => localStorage.setItem(key, entry), { key: `minga:part:${ws.code}`, entry: JSON.stringify(beto) });
      await page.goto(`${ctx.server.url}/tablero/${boardId}`);
      await page.getByRole('timer').first().waitFor();
      await page.waitForTimeout(300);
      if (process.env.MINGA_SHOT) await page.locator('.toolbar').screenshot({ path: `/tmp/a11y-toolbar-${locale}${locked ? '-locked' : ''}.png` });
      const { height, pills } = await page.evaluate(() => {
        const bar = document.querySelector<HTMLElement>('.toolbar')!;
        const boxes = [...bar.querySelectorAll<HTMLElement>(':scope > *, .right > *')]
          .filter((el) => !el.classList.contains('right') && el.offsetParent !== null && el.getBoundingClientRect().width > 0)
          .map((el) => el.getBoundingClientRect().toJSON() as Box);
        return { height: bar.getBoundingClientRect().height, pills: boxes };
      });
      process.stdout.write(`toolbar at 360 px (${locale}, votación${locked ? ', locked' : ''}): ${Math.round(height)} px high, ${pills.length} pills\n`);
      expect(height).toBeLessThanOrEqual(56);
      const overlap = (a: Box, b: Box) => a.x < b.x + b.width - 0.5 && b.x < a.x + a.width - 0.5 && a.y < b.y + b.height - 0.5 && b.y < a.y + a.height - 0.5;
      for (const [i, a] of pills.entries()) for (const b of pills.slice(i + 1)) expect(overlap(a, b), JSON.stringify([a, b])).toBe(false);
      for (const p of pills) expect(p.x + p.width).toBeLessThanOrEqual(360);
      const spills = await page.evaluate(() => [...document.querySelectorAll<HTMLElement>('.toolbar .chip')].filter((el) => el.scrollWidth > el.clientWidth + 1).map((el) => el.textContent));
      expect(spills).toEqual([]);
      await page.context().close();
    }
    control.close();
  });
});
