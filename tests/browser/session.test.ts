import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { connectBoard, connectControl, createWorkshop, join, postIdea } from '../helpers/clients.ts';
import { joinThroughLink, newPerson, useServerAndBrowser } from '../helpers/browser.ts';

/** "7:42", "10:00", "1:02:03": what the countdown shows while it runs. */
const CLOCK = /^\s*\d+:\d\d(:\d\d)?\s*$/;

describe('facilitated sessions in Chromium', () => {
  const ctx = useServerAndBrowser();

  /** The facilitator's browser: the one-time link stores the token, as after creating the workshop. */
  async function facilitator(code: string, token: string, viewport = { width: 1366, height: 900 }): Promise<Page> {
    const page = await newPerson(ctx.browser, viewport);
    await page.goto(`${ctx.server.url}/taller/${code}/facilitar#${token}`);
    await page.getByRole('heading', { name: 'Taller de prueba' }).waitFor();
    return page;
  }

  it('starts a session from the control room; the participant sees the phase, the countdown, then the lock', async () => {
    const ws = await createWorkshop(ctx.server.url, ['desafio-6']);
    const fac = await facilitator(ws.code, ws.facilitatorToken);
    await fac.getByRole('link', { name: 'Sala de control' }).click();
    await fac.waitForURL(/\/control$/);
    await fac.getByRole('heading', { name: 'Sala de control', level: 1 }).waitFor();

    const ana = await newPerson(ctx.browser, { width: 360, height: 780 });
    await joinThroughLink(ana, `${ctx.server.url}/taller/${ws.code}`, { name: 'Ana Pérez', sector: 'comunidad', comuna: 'Ovalle' });
    await ana.getByRole('link', { name: /Desafío 6/ }).click();
    const newIdea = ana.getByLabel('Nueva idea').first();
    await newIdea.waitFor();
    expect(await newIdea.isEnabled()).toBe(true);

    // Start with the default plan (10/8/5/15 minutes).
    await fac.getByRole('button', { name: 'Iniciar sesión…' }).click();
    await fac.getByRole('spinbutton', { name: 'Ideación' }).waitFor();
    await fac.getByRole('button', { name: 'Iniciar', exact: true }).click();
    await fac.getByRole('button', { name: 'Pausar', exact: true }).waitFor();

    // The participant's banner: phase, what to do, a running countdown.
    await ana.getByRole('heading', { name: 'Ideación', exact: true }).waitFor();
    const timer = ana.getByRole('timer');
    await timer.waitFor();
    expect(await timer.textContent()).toMatch(CLOCK);
    expect(await newIdea.isEnabled()).toBe(true);

    // Locked: the editor stays on screen, disabled, and says why.
    await fac.getByRole('button', { name: 'Bloquear tablero' }).click();
    await fac.getByRole('button', { name: 'Desbloquear tablero' }).waitFor();
    await expect.poll(() => newIdea.isDisabled()).toBe(true);
    await ana.getByText('La facilitación bloqueó el tablero.', { exact: true }).first().waitFor();
    const describedBy = (await newIdea.getAttribute('aria-describedby')) ?? '';
    const reasons = await Promise.all(describedBy.split(' ').map((id) => ana.locator(`[id="${id}"]`).textContent()));
    expect(reasons.join(' ')).toContain('La facilitación bloqueó el tablero.');

    // The control room shows the state it commanded, live.
    await fac.getByText('Bloqueado', { exact: true }).waitFor();
  });

  it('shows the ideas, the phase and the countdown on the projector, with the QR to join', async () => {
    const ws = await createWorkshop(ctx.server.url, ['desafio-6']);
    const boardId = ws.boards[0]!.id;
    const ana = await join(ctx.server.url, ws.code, { name: 'Ana Pérez' });
    const questions = (await (await fetch(`${ctx.server.url}/api/boards/${boardId}`)).json()) as { challenge: { questions: { id: string }[] } };
    const client = connectBoard(ctx.server.wsUrl, boardId, ana.token);
    await client.synced;
    postIdea(client.doc, { id: ana.participantId, name: 'Ana Pérez', sector: 'comunidad' }, {
      text: 'Huertos comunitarios con riego por goteo',
      questionId: questions.challenge.questions[0]!.id
    });
    const control = await connectControl(ctx.server.url, ws.facilitatorToken);
    const started = await control.emitWithAck('session:command', { boardId, action: 'start' });
    expect(started.ok).toBe(true);

    const fac = await facilitator(ws.code, ws.facilitatorToken, { width: 1920, height: 1080 });
    await fac.goto(`${ctx.server.url}/tablero/${boardId}/proyector`);
    await fac.getByText('Huertos comunitarios con riego por goteo', { exact: true }).waitFor();
    const timer = fac.getByRole('timer');
    await timer.waitFor();
    expect(await timer.textContent()).toMatch(CLOCK);
    await fac.getByText('Ideación', { exact: true }).first().waitFor();
    await fac.getByRole('img', { name: new RegExp(`Código QR.*${ws.code}`) }).waitFor();
    // Read-only: no editor, no buttons to change the board.
    expect(await fac.getByLabel('Nueva idea').count()).toBe(0);

    control.close();
    client.destroy();
  });
});
