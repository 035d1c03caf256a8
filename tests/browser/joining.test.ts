import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { connectControl, createWorkshop } from '../helpers/clients.ts';
import { joinThroughLink, newPerson, tabUntil, useServerAndBrowser } from '../helpers/browser.ts';

const DESKTOP = { width: 1366, height: 900 };
const PHONE = { width: 360, height: 780 };

describe('the waiting list in Chromium', () => {
  const ctx = useServerAndBrowser();

  async function controlRoom(code: string, token: string, viewport: { width: number; height: number }): Promise<Page> {
    const page = await newPerson(ctx.browser, viewport);
    await page.goto(`${ctx.server.url}/taller/${code}/facilitar#${token}`);
    await page.getByRole('heading', { name: 'Taller de prueba' }).waitFor();
    await page.goto(`${ctx.server.url}/taller/${code}/control`);
    await page.getByRole('heading', { name: 'Ingreso al taller' }).waitFor();
    return page;
  }

  const noSidewaysScroll = (page: Page) =>
    page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

  for (const [label, viewport] of [
    ['on a desktop', DESKTOP],
    ['on a 360 px phone', PHONE]
  ] as const) {
    it(`lets a participant wait until the facilitator approves them from the control room, then opens the board (${label})`, async () => {
      const ws = await createWorkshop(ctx.server.url, ['desafio-6']);
      const boardId = ws.boards[0]!.id;
      const fac = await controlRoom(ws.code, ws.facilitatorToken, viewport);
      await fac.getByRole('button', { name: /Con aprobación/ }).click();
      await expect.poll(() => fac.getByRole('button', { name: /Con aprobación/ }).getAttribute('aria-pressed')).toBe('true');
      await fac.getByRole('heading', { name: 'En espera (0)' }).waitFor();

      // The participant follows a link to the board: joining comes first, then the wait.
      const ana = await newPerson(ctx.browser, viewport);
      await joinThroughLink(ana, `${ctx.server.url}/tablero/${boardId}`, { name: 'Ana Pérez', sector: 'comunidad', comuna: 'Ovalle' });
      await ana.getByRole('heading', { name: 'Esperando a la facilitación' }).waitFor();
      await ana.getByText(/como «Ana Pérez» llegó a la facilitación/).waitFor();
      expect(await noSidewaysScroll(ana)).toBeLessThanOrEqual(0);

      // The control room shows her at once, and the facilitator answers with the keyboard alone.
      await fac.getByRole('heading', { name: 'En espera (1)' }).waitFor();
      await fac.getByText('Ana Pérez pide unirse al taller.').waitFor();
      expect(await noSidewaysScroll(fac)).toBeLessThanOrEqual(0);
      await fac.getByRole('heading', { name: 'Ingreso al taller' }).click();
      await tabUntil(fac, () => document.activeElement?.getAttribute('aria-label') === 'Aprobar a Ana Pérez');
      await fac.keyboard.press('Enter');
      await fac.getByText('Ana Pérez ya está en el taller.').waitFor();
      await fac.getByRole('heading', { name: 'En espera (0)' }).waitFor();

      // Her page moves on by itself, to the board she was going to.
      await ana.waitForURL(new RegExp(`/tablero/${boardId}$`));
      const newIdea = ana.getByLabel('Nueva idea').first();
      await newIdea.waitFor();
      expect(await newIdea.isEnabled()).toBe(true);
    });
  }

  it('tells a refused person why, and a removed one that this browser cannot rejoin, even after a reload', async () => {
    const ws = await createWorkshop(ctx.server.url, ['desafio-6']);
    const joinUrl = `${ctx.server.url}/taller/${ws.code}`;

    // Removed: her board closes, and the join page says why instead of offering the form.
    const beto = await newPerson(ctx.browser, PHONE);
    await joinThroughLink(beto, joinUrl, { name: 'Beto Rojas', sector: 'universidad', comuna: 'La Serena' });
    await beto.getByRole('link', { name: /Desafío 6/ }).click();
    await beto.getByLabel('Nueva idea').first().waitFor();
    const betoId = await beto.evaluate((code) => JSON.parse(localStorage.getItem(`minga:part:${code}`)!).participantId as string, ws.code);
    const control = await connectControl(ctx.server.url, ws.facilitatorToken);
    const boardId = ws.boards[0]!.id;
    await control.emitWithAck('board:join', { boardId });
    expect(await control.emitWithAck('session:command', { boardId, action: 'remove', participantId: betoId })).toMatchObject({ ok: true });
    await beto.getByRole('heading', { name: 'Ya no estás en este taller' }).waitFor();
    // Even if this browser forgets what it was told, the server still refuses it (device cookie).
    await beto.evaluate((code) => localStorage.removeItem(`minga:barred:${code}`), ws.code);
    await joinThroughLink(beto, joinUrl, { name: 'Beto R.', sector: 'universidad', comuna: 'La Serena' });
    await beto.getByRole('heading', { name: 'Ya no estás en este taller' }).waitFor();
    await beto.reload();
    await beto.getByRole('heading', { name: 'Ya no estás en este taller' }).waitFor();
    expect(await beto.getByLabel('Nombre').count()).toBe(0);

    // Refused from the waiting list.
    expect(await control.emitWithAck('joining:set', { policy: 'approval' })).toMatchObject({ ok: true });
    const carla = await newPerson(ctx.browser, DESKTOP);
    await joinThroughLink(carla, joinUrl, { name: 'Carla Díaz', sector: 'mipyme', comuna: 'Vicuña' });
    await carla.getByRole('heading', { name: 'Esperando a la facilitación' }).waitFor();
    const fac = await controlRoom(ws.code, ws.facilitatorToken, DESKTOP);
    await fac.getByRole('button', { name: 'Rechazar a Carla Díaz' }).click();
    await carla.getByRole('heading', { name: 'La facilitación no aprobó tu ingreso' }).waitFor();

    // Closed: a newcomer reads so, no form.
    expect(await control.emitWithAck('joining:set', { policy: 'closed' })).toMatchObject({ ok: true });
    const dario = await newPerson(ctx.browser, PHONE);
    await dario.goto(joinUrl);
    await dario.getByRole('heading', { name: 'La inscripción está cerrada' }).waitFor();
    expect(await dario.getByLabel('Nombre').count()).toBe(0);
    control.close();
  });
});
