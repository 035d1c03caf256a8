import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { connectBoard, connectControl, createWorkshop, join, postIdea } from '../helpers/clients.ts';
import { newPerson, useServerAndBrowser } from '../helpers/browser.ts';

const IDEA = 'Ferias de productores en la plaza';

describe('blind voting and "Terminar sesión" in Chromium', () => {
  const ctx = useServerAndBrowser();

  async function openBoard(page: Page, code: string, boardId: string, who: { facilitatorToken?: string; participant?: { token: string; participantId: string } }) {
    if (who.facilitatorToken) {
      await page.goto(`${ctx.server.url}/taller/${code}/facilitar#${who.facilitatorToken}`);
      await page.getByRole('heading', { name: 'Taller de prueba' }).waitFor();
    } else {
      await page.goto(`${ctx.server.url}/`);
      await page.evaluate(([c, entry]) => localStorage.setItem(`minga:part:${c}`, entry), [code, JSON.stringify(who.participant)] as const);
    }
    await page.goto(`${ctx.server.url}/tablero/${boardId}`);
    await page.locator('[data-idea-card]', { hasText: IDEA }).waitFor();
  }

  it('a participant sees only their own dots until the reveal; the facilitator ends the session and undoes it by keyboard', async () => {
    const ws = await createWorkshop(ctx.server.url, ['desafio-6']);
    const boardId = ws.boards[0]!.id;
    const board = (await (await fetch(`${ctx.server.url}/api/boards/${boardId}`)).json()) as { challenge: { questions: { id: string }[] } };
    const ana = await join(ctx.server.url, ws.code, { name: 'Ana Pérez' });
    const bea = await join(ctx.server.url, ws.code, { name: 'Bea Soto', sector: 'universidad' });
    const client = connectBoard(ctx.server.wsUrl, boardId, bea.token);
    await client.synced;
    const ideaId = postIdea(client.doc, { id: bea.participantId, name: 'Bea Soto', sector: 'universidad' }, { text: IDEA, questionId: board.challenge.questions[0]!.id });
    const control = await connectControl(ctx.server.url, ws.facilitatorToken);
    const command = (cmd: Record<string, unknown>) => control.emitWithAck('session:command', { boardId, ...cmd } as never);
    expect(await command({ action: 'start', plan: { ideacion: 0, agrupacion: 0, votacion: 10 }, blindVoting: true })).toMatchObject({ ok: true });
    await command({ action: 'next' });
    expect(await command({ action: 'next' })).toMatchObject({ ok: true, state: { phase: 'votacion', round: { blind: true } } });
    // Bea votes twice, from her own socket.
    const beaSocket = await connectControl(ctx.server.url, bea.token);
    await beaSocket.emitWithAck('board:join', { boardId });
    for (let i = 0; i < 2; i++) expect(await beaSocket.emitWithAck('vote:cast', { boardId, targetId: ideaId, delta: 1 })).toMatchObject({ ok: true });

    const page = await newPerson(ctx.browser, { width: 360, height: 780 });
    await openBoard(page, ws.code, boardId, { participant: ana });
    await page.getByText('Reparte tus 5 votos: es a ciegas', { exact: false }).waitFor();
    const card = page.locator('[data-idea-card]', { hasText: IDEA });
    await card.getByRole('button', { name: `Dar un voto a «${IDEA}»` }).click();
    const total = card.getByRole('button', { name: /^Totales ocultos/ });
    await expect.poll(() => total.getAttribute('aria-label')).toBe('Totales ocultos hasta que la facilitación los revele. Tuyos: 1');
    expect(await total.textContent()).toContain('Tuyos: 1');
    await page.getByText('Te quedan 4 votos').waitFor();

    const fac = await newPerson(ctx.browser);
    await openBoard(fac, ws.code, boardId, { facilitatorToken: ws.facilitatorToken });
    await fac.getByRole('button', { name: 'Revelar votos' }).click();
    // After the reveal, the total (Bea's 2 and Ana's 1) reaches Ana's board.
    await expect.poll(() => card.getByRole('button', { name: /^3 votos/ }).count()).toBe(1);

    // "Terminar sesión" by keyboard: Escape cancels and gives the focus back.
    const end = fac.getByRole('button', { name: 'Terminar sesión' });
    await end.focus();
    await fac.keyboard.press('Enter');
    const dialog = fac.getByRole('dialog', { name: '¿Terminar la sesión?' });
    await dialog.waitFor();
    expect(await fac.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Cancelar');
    await fac.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await fac.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Terminar sesión');
    await fac.keyboard.press('Enter');
    await dialog.waitFor();
    await fac.keyboard.press('Tab');
    await fac.keyboard.press('Enter');
    // Ended: the participant's phase banner is gone (an open board has none); "Deshacer" has the focus.
    await fac.getByText('Sesión terminada: puedes deshacerlo durante unos segundos.').waitFor();
    await page.getByRole('heading', { name: 'Votación', exact: true }).waitFor({ state: 'detached' });
    expect(await fac.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Deshacer');
    await fac.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Votación', exact: true }).waitFor();
    await fac.getByRole('button', { name: 'Terminar sesión' }).waitFor();
    expect(await fac.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Terminar sesión');
    expect(ctx.server.app.sessions.get(boardId)).toMatchObject({ phase: 'votacion', status: 'running' });

    client.destroy();
    control.close();
    beaSocket.close();
  });

  it('the control room starts a blind vote, lists the earlier rounds and reveals the votes', async () => {
    const ws = await createWorkshop(ctx.server.url, ['desafio-6']);
    const boardId = ws.boards[0]!.id;
    const board = (await (await fetch(`${ctx.server.url}/api/boards/${boardId}`)).json()) as { challenge: { questions: { id: string }[] } };
    const bea = await join(ctx.server.url, ws.code, { name: 'Bea Soto' });
    const client = connectBoard(ctx.server.wsUrl, boardId, bea.token);
    await client.synced;
    const ideaId = postIdea(client.doc, { id: bea.participantId, name: 'Bea Soto', sector: 'comunidad' }, { text: IDEA, questionId: board.challenge.questions[0]!.id });
    const beaSocket = await connectControl(ctx.server.url, bea.token);
    await beaSocket.emitWithAck('board:join', { boardId });
    // A dot on the open board: round 1.
    expect(await beaSocket.emitWithAck('vote:cast', { boardId, targetId: ideaId, delta: 1 })).toMatchObject({ ok: true });

    const fac = await newPerson(ctx.browser);
    await fac.goto(`${ctx.server.url}/taller/${ws.code}/facilitar#${ws.facilitatorToken}`);
    await fac.getByRole('heading', { name: 'Taller de prueba' }).waitFor();
    await fac.goto(`${ctx.server.url}/taller/${ws.code}/control`);
    await fac.getByRole('button', { name: 'Iniciar sesión…' }).first().click();
    for (const phase of ['Ideación', 'Agrupación']) await fac.getByRole('spinbutton', { name: phase }).first().fill('0');
    await fac.getByRole('checkbox', { name: /Votación a ciegas/ }).first().check();
    // Blind and "keep" do not go together.
    expect(await fac.getByRole('checkbox', { name: /Mantener los votos del tablero abierto/ }).first().isDisabled()).toBe(true);
    await fac.getByRole('button', { name: 'Iniciar', exact: true }).first().click();
    await expect.poll(() => ctx.server.app.sessions.get(boardId).roundPlan).toEqual({ blind: true, keepOpenVotes: false });
    await fac.getByRole('button', { name: 'Pasar a Agrupación' }).click();
    await fac.getByRole('button', { name: 'Pasar a Votación' }).click();
    await fac.getByText('Ronda 2 a ciegas').waitFor();

    await fac.getByRole('button', { name: 'Rondas anteriores' }).click();
    const panel = fac.getByRole('region', { name: /^Rondas de votación de/ });
    await panel.getByText('Ronda 1 — Tablero abierto').waitFor();
    expect(await panel.textContent()).toContain(IDEA);
    await fac.getByRole('button', { name: 'Revelar votos' }).click();
    await fac.getByText('Ronda 2 a ciegas').waitFor({ state: 'detached' });
    expect(ctx.server.app.sessions.get(boardId).round).toMatchObject({ number: 2, blind: true, revealed: true });

    client.destroy();
    beaSocket.close();
  });
});
