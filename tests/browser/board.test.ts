import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { connectBoard, createCluster, createWorkshop, type CreatedWorkshop } from '../helpers/clients.ts';
import { joinThroughLink, newPerson, tabUntil, useServerAndBrowser } from '../helpers/browser.ts';

describe('two people on a board in Chromium', () => {
  const ctx = useServerAndBrowser();
  /** The workshop of the last twoOnABoard. */
  let workshop: CreatedWorkshop;

  /** Both join by the link and open the workshop's board. */
  async function twoOnABoard(viewport: { width: number; height: number }) {
    const ws = (workshop = await createWorkshop(ctx.server.url, ['desafio-6']));
    const joinUrl = `${ctx.server.url}/taller/${ws.code}`;
    const pages: Page[] = [];
    for (const who of [
      { name: 'Ana Pérez', sector: 'comunidad', comuna: 'Ovalle' },
      { name: 'Beto Rojas', sector: 'universidad', comuna: 'La Serena' }
    ]) {
      const page = await newPerson(ctx.browser, viewport);
      await joinThroughLink(page, joinUrl, who);
      await page.getByRole('link', { name: /Desafío 6/ }).click();
      await page.waitForURL(/\/tablero\//);
      await page.getByLabel('Nueva idea').first().waitFor();
      pages.push(page);
    }
    return pages as [Page, Page];
  }

  async function postWithKeyboardOnly(page: Page, text: string) {
    // Reach the first lane's "Nueva idea" with Tab alone, type, and press Enter.
    await tabUntil(page, () => document.activeElement?.tagName === 'TEXTAREA' && document.activeElement.id.startsWith('new-'));
    await page.keyboard.type(text);
    await page.keyboard.press('Enter');
  }

  it('shows an idea posted with the keyboard only on the other page, live', async () => {
    const [ana, beto] = await twoOnABoard({ width: 1366, height: 900 });
    await postWithKeyboardOnly(ana, 'Atrapanieblas en la costa de Canela');
    const card = beto.getByText('Atrapanieblas en la costa de Canela', { exact: true });
    await card.waitFor();
    expect(await beto.getByText('Ana Pérez').first().isVisible()).toBe(true);
    // The author's textarea is empty and ready for the next idea.
    expect(await ana.evaluate(() => (document.activeElement as HTMLTextAreaElement).value)).toBe('');
  });

  it('does the same on a 360 px wide phone, with lanes stacked and no sideways scroll', async () => {
    const [ana, beto] = await twoOnABoard({ width: 360, height: 780 });
    await postWithKeyboardOnly(ana, 'Riego por goteo compartido');
    await beto.getByText('Riego por goteo compartido', { exact: true }).waitFor();
    const overflow = await beto.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const lanes = await beto.locator('textarea[id^="new-"]').evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().left)));
    expect(new Set(lanes).size).toBe(1); // stacked: every lane starts at the same x
    // A group named as people do: its long title is an option of the toolbar's group filter.
    const fac = connectBoard(ctx.server.wsUrl, workshop.boards[0]!.id, workshop.facilitatorToken);
    await fac.synced;
    const questionId = await beto.locator('textarea[id^="new-"]').first().evaluate((e) => e.id.slice('new-'.length));
    createCluster(fac.doc, { title: 'Cosecha de aguas lluvia y riego tecnificado en las comunidades agrícolas del secano', questionId });
    await beto.locator('#filter-group option', { hasText: 'Cosecha de aguas lluvia' }).waitFor({ state: 'attached' });
    fac.destroy();
    // Every control of the toolbar is whole on screen (an ancestor's overflow must not hide a cut one).
    const cut = await beto.evaluate(() =>
      [...document.querySelectorAll('section.tools input, section.tools select, section.tools button')]
        .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
        .map((el) => el.id || el.textContent?.trim())
    );
    expect(cut).toEqual([]);
  });
});
