import type { Page } from 'playwright-core';
import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { connectBoard, connectControl, createCluster, createWorkshop, join, postIdea, type BoardClient } from '../helpers/clients.ts';
import { ideaActions, joinThroughLink, newPerson, useServerAndBrowser } from '../helpers/browser.ts';

/**
 * A participant's page works offline while the facilitator changes the session; when the network
 * comes back, the server refuses part of the batch. The page must keep everything that was valid
 * and offer back the ideas it could not post — never reload the board and lose the work.
 */
describe('offline work and refusals in Chromium', () => {
  const ctx = useServerAndBrowser();
  const Q1 = 'desafio-6-p1';
  /** Reconnecting both planes takes a few seconds on a loaded 2-core machine. */
  const WAIT = { timeout: 15_000 };

  async function setUp() {
    const ws = await createWorkshop(ctx.server.url, ['desafio-6']);
    const boardId = ws.boards[0]!.id;
    const beto = await join(ctx.server.url, ws.code, { name: 'Beto', sector: 'universidad' });
    const observer = connectBoard(ctx.server.wsUrl, boardId, beto.token);
    await observer.synced;
    const control = await connectControl(ctx.server.url, ws.facilitatorToken);
    const command = (cmd: Record<string, unknown>) => control.emitWithAck('session:command', { boardId, ...cmd } as never);
    const page = await newPerson(ctx.browser);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await joinThroughLink(page, `${ctx.server.url}/taller/${ws.code}`, { name: 'Ana Pérez', sector: 'comunidad', comuna: 'Ovalle' });
    await page.getByRole('link', { name: /Desafío 6/ }).click();
    await page.getByLabel('Nueva idea').first().waitFor();
    return { ws, boardId, beto, observer, control, command, page, errors };
  }

  const post = async (page: Page, text: string) => {
    const field = page.getByLabel('Nueva idea').first();
    await field.fill(text);
    await field.press('Enter');
  };

  const ideaTexts = (client: BoardClient) =>
    [...client.doc.getMap<Y.Map<unknown>>('ideas').values()].map((m) => m.get('text') as string).sort();

  it('keeps edits, new ideas and the rest of an offline batch when the phase changed meanwhile', async () => {
    const { observer, beto, command, page, control, errors } = await setUp();
    createCluster(observer.doc, { title: 'Agua', questionId: Q1 });
    const betoIdea = postIdea(observer.doc, { id: beto.participantId, name: 'Beto', sector: 'universidad' }, { text: 'Idea de Beto', questionId: Q1 });
    await post(page, 'Primera versión');
    await vi.waitFor(() => expect(ideaTexts(observer)).toContain('Primera versión'), WAIT);
    await page.getByText('Idea de Beto', { exact: true }).first().waitFor();

    await page.context().setOffline(true);
    // Edit twice (the first value becomes deleted content in the doc), post, and move Beto's idea.
    for (const text of ['Segunda versión', 'Tercera versión']) {
      await (await ideaActions(page, 'versión')).getByRole('menuitem', { name: 'Editar idea' }).click();
      await page.getByRole('textbox', { name: 'Editar idea' }).fill(text);
      await page.getByRole('button', { name: 'Guardar' }).click();
      await page.getByText(text, { exact: true }).waitFor();
    }
    await post(page, 'Escrita sin conexión');
    await page.getByText('Escrita sin conexión', { exact: true }).waitFor();
    const betoCard = page.locator('[data-idea-card]', { hasText: 'Idea de Beto' });
    await (await ideaActions(page, 'Idea de Beto')).getByRole('menuitemradio', { name: 'Agua' }).click();
    await page.getByText('Idea movida a «Agua».').first().waitFor();

    // Meanwhile the facilitator starts ideation: posting and editing allowed, grouping not.
    expect(await command({ action: 'start' })).toMatchObject({ ok: true });
    await page.context().setOffline(false);

    await vi.waitFor(() => expect(ideaTexts(observer)).toEqual(['Escrita sin conexión', 'Idea de Beto', 'Tercera versión']), WAIT);
    await page.getByText(/El servidor no aceptó un cambio/).first().waitFor();
    // The move was refused; the page shows the board as the server has it, and keeps working.
    await vi.waitFor(async () => expect(await page.locator('[data-drop-cluster]', { hasText: 'Idea de Beto' }).count()).toBe(0), WAIT);
    expect(await betoCard.count()).toBe(1);
    expect((observer.doc.getMap('ideas').get(betoIdea) as Y.Map<unknown>).get('clusterId')).toBeNull();
    await post(page, 'Después de volver');
    await vi.waitFor(() => expect(ideaTexts(observer)).toContain('Después de volver'), WAIT);
    await page.getByText('Después de volver', { exact: true }).waitFor();
    expect(errors).toEqual([]);
    control.close();
    observer.destroy();
  });

  it('offers back an idea written offline that a lock refused, and posts it once unlocked', async () => {
    const { observer, command, page, control, errors } = await setUp();
    await page.context().setOffline(true);
    await post(page, 'Escrita antes del bloqueo');
    await page.getByText('Escrita antes del bloqueo', { exact: true }).waitFor();
    expect(await command({ action: 'lock' })).toMatchObject({ ok: true });
    await page.context().setOffline(false);

    const panel = page.getByRole('region', { name: '1 idea tuya no se publicó' });
    await panel.waitFor(WAIT);
    await panel.getByText('Escrita antes del bloqueo', { exact: true }).waitFor();
    const retry = panel.getByRole('button', { name: 'Publicar de nuevo' });
    await expect.poll(() => retry.isDisabled(), WAIT).toBe(true);
    expect(ideaTexts(observer)).toEqual([]);

    expect(await command({ action: 'unlock' })).toMatchObject({ ok: true });
    await expect.poll(() => retry.isEnabled(), WAIT).toBe(true);
    await retry.focus();
    await page.keyboard.press('Enter');
    await vi.waitFor(() => expect(ideaTexts(observer)).toEqual(['Escrita antes del bloqueo']), WAIT);
    await panel.waitFor({ state: 'detached' });
    expect(errors).toEqual([]);
    control.close();
    observer.destroy();
  });
});
