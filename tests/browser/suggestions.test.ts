import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it, vi } from 'vitest';
import type * as Y from 'yjs';
import { MAX_CLUSTERS_PER_PARTICIPANT } from '../../contract/board-document.ts';
import { connectBoard, connectControl, createCluster, createWorkshop, join as joinApi, postIdea } from '../helpers/clients.ts';
import { joinThroughLink, newPerson, useServerAndBrowser } from '../helpers/browser.ts';

const Q = 'desafio-6-p1';
const DRIP = ['Riego por goteo para los pequeños agricultores', 'riego x goteo en los huertos de los agricultores', 'Subsidio al riego tecnificado por goteo'];
const FOG = ['Atrapanieblas en La Higuera para juntar agua de la camanchaca', 'Más atrapanieblas comunitarios en las caletas'];
const ALONE = 'Una desaladora para Coquimbo';
/** A title longer than a card's line, on a phone and on a desktop lane. */
const LONG_TITLE = 'Riego por goteo y agricultores de los valles del Elqui, del Limarí y del Choapa';
/** Screenshots for a person to look at (not compared): set MINGA_SCREENSHOTS=<folder>. */
const SHOTS = process.env.MINGA_SCREENSHOTS;

describe('"Sugerir grupos" in Chromium', () => {
  const ctx = useServerAndBrowser();

  /** A board of desafío 6 whose first question holds the ideas above, posted by Ana over y-websocket. */
  async function boardWithIdeas() {
    const ws = await createWorkshop(ctx.server.url, ['desafio-6']);
    const boardId = ws.boards[0]!.id;
    const ana = await joinApi(ctx.server.url, ws.code, { name: 'Ana Pérez' });
    const client = connectBoard(ctx.server.wsUrl, boardId, ana.token);
    await client.synced;
    const who = { id: ana.participantId, name: 'Ana Pérez', sector: 'comunidad' };
    for (const text of [...DRIP, ...FOG, ALONE]) postIdea(client.doc, who, { text, questionId: Q });
    await vi.waitFor(() => expect(ctx.server.app.rooms.peek(boardId)?.doc.getMap('ideas').size).toBe(6));
    return { ws, boardId, client };
  }

  async function facilitatorOn(ws: { code: string; facilitatorToken: string }, boardId: string, viewport = { width: 1366, height: 900 }) {
    const page = await newPerson(ctx.browser, viewport);
    await page.goto(`${ctx.server.url}/taller/${ws.code}/facilitar#${ws.facilitatorToken}`);
    await page.getByRole('heading', { name: 'Taller de prueba' }).waitFor();
    await page.goto(`${ctx.server.url}/tablero/${boardId}`);
    await page.getByText(ALONE, { exact: true }).first().waitFor();
    return page;
  }

  async function participantOn(ws: { code: string }, viewport = { width: 1366, height: 900 }) {
    const page = await newPerson(ctx.browser, viewport);
    await joinThroughLink(page, `${ctx.server.url}/taller/${ws.code}`, { name: 'Beto Rojas', sector: 'universidad', comuna: 'La Serena' });
    await page.getByRole('link', { name: /Desafío 6/ }).click();
    await page.getByText(ALONE, { exact: true }).first().waitFor();
    return page;
  }

  const lane = (page: Page) => page.locator(`#lane-${Q}`);
  const serverDoc = (boardId: string) => ctx.server.app.rooms.peek(boardId)!.doc;
  const clusterIdOf = (doc: Y.Doc, text: string) =>
    [...doc.getMap<Y.Map<unknown>>('ideas').values()].find((m) => m.get('text') === text)?.get('clusterId') ?? null;
  /** The title field shows all of its text: nothing cut off to the side, nothing scrolled away below. */
  const hiddenPart = (field: Locator) =>
    field.evaluate((el) => ({ x: el.scrollWidth - el.clientWidth, y: el.scrollHeight - el.clientHeight }));
  const focusedText = (page: Page) => page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');
  const shot = async (page: Page, name: string, part?: Locator) => {
    if (!SHOTS) return;
    mkdirSync(SHOTS, { recursive: true });
    await (part ?? page).screenshot({ path: join(SHOTS, `${name}.png`), ...(part ? {} : { fullPage: true }) });
  };

  it('lets the facilitator rename and accept a suggestion that a participant then sees, and undo it', async () => {
    const { ws, boardId, client } = await boardWithIdeas();
    const fac = await facilitatorOn(ws, boardId);
    const beto = await participantOn(ws);
    // Not offered to participants until the facilitator allows it.
    expect(await lane(beto).getByRole('button', { name: 'Sugerir grupos' }).count()).toBe(0);

    await lane(fac).getByRole('button', { name: 'Sugerir grupos' }).click();
    const panel = fac.getByRole('region', { name: 'Grupos sugeridos' });
    await panel.getByText(DRIP[0]!, { exact: true }).waitFor();
    expect(await focusedText(fac)).toBe('Grupos sugeridos');
    await fac.getByText('Grupos sugeridos: 2. Ideas sin ubicar: 1.').waitFor(); // announced

    const drip = panel.getByRole('listitem').filter({ hasText: DRIP[1]! }).filter({ has: fac.getByRole('textbox') });
    expect(await drip.getByText('Por qué: palabras compartidas:').isVisible()).toBe(true);
    const title = drip.getByRole('textbox', { name: 'Título del grupo' });
    await title.fill(LONG_TITLE);
    expect(await hiddenPart(title)).toEqual({ x: 0, y: 0 });
    await shot(fac, 'suggestions-facilitator-open');
    await title.fill('Riego tecnificado');
    await drip.getByRole('button', { name: 'Aceptar', exact: true }).click();

    // One group written, with the three ideas, seen live on the participant's page.
    const group = beto.getByRole('region', { name: 'Riego tecnificado' });
    for (const text of DRIP) await group.getByText(text, { exact: true }).waitFor();
    const doc = serverDoc(boardId);
    const clusterId = clusterIdOf(doc, DRIP[0]!);
    expect(clusterId).toBeTypeOf('string');
    expect(DRIP.map((t) => clusterIdOf(doc, t))).toEqual([clusterId, clusterId, clusterId]);
    expect(doc.getMap<Y.Map<unknown>>('clusters').get(clusterId as string)?.toJSON()).toMatchObject({ title: 'Riego tecnificado', questionId: Q });
    expect(FOG.map((t) => clusterIdOf(doc, t))).toEqual([null, null]);
    await shot(beto, 'suggestions-participant-sees-group');

    // The other suggestion is still on offer; "Deshacer" takes the accepted one back.
    expect(await panel.getByText(FOG[0]!, { exact: true }).isVisible()).toBe(true);
    await lane(fac).getByRole('button', { name: 'Deshacer' }).click();
    await vi.waitFor(() => expect(beto.getByRole('region', { name: 'Riego tecnificado' }).count()).resolves.toBe(0));
    await vi.waitFor(() => expect(DRIP.map((t) => clusterIdOf(doc, t))).toEqual([null, null, null]));
    expect(doc.getMap('clusters').size).toBe(0);
    client.destroy();
  });

  it('writes nothing when the suggestions are dismissed, and gives the focus back to the button', async () => {
    const { ws, boardId, client } = await boardWithIdeas();
    const fac = await facilitatorOn(ws, boardId);
    const doc = serverDoc(boardId);
    const updates: Uint8Array[] = [];
    const count = (u: Uint8Array) => updates.push(u);
    doc.on('update', count);

    await lane(fac).getByRole('button', { name: 'Sugerir grupos' }).click();
    const panel = fac.getByRole('region', { name: 'Grupos sugeridos' });
    await panel.getByText(FOG[0]!, { exact: true }).waitFor();
    await panel.getByRole('textbox').first().fill('Otro nombre');
    await panel.getByRole('button', { name: 'Descartar' }).click();
    await vi.waitFor(() => expect(panel.count()).resolves.toBe(0));
    expect(await focusedText(fac)).toBe('Sugerir grupos');

    // Something this page writes afterwards arrives; it is the only change the board received.
    await lane(fac).getByLabel('Nueva idea').fill('Marca después de descartar');
    await lane(fac).getByLabel('Nueva idea').press('Enter');
    await vi.waitFor(() => expect(updates.length).toBeGreaterThan(0));
    await vi.waitFor(() => expect([...doc.getMap<Y.Map<unknown>>('ideas').values()].some((m) => m.get('text') === 'Marca después de descartar')).toBe(true));
    expect(doc.getMap('clusters').size).toBe(0);
    expect([...DRIP, ...FOG, ALONE].map((t) => clusterIdOf(doc, t))).toEqual(Array(6).fill(null));
    expect(updates).toHaveLength(1);
    doc.off('update', count);
    client.destroy();
  });

  it('lets a participant on a 360 px phone ask and accept all while clustering, once allowed', async () => {
    const { ws, boardId, client } = await boardWithIdeas();
    const control = await connectControl(ctx.server.url, ws.facilitatorToken);
    for (const cmd of [{ action: 'start' }, { action: 'next' }, { action: 'suggestions', allowParticipants: true }]) {
      expect(await control.emitWithAck('session:command', { boardId, ...cmd } as never)).toMatchObject({ ok: true });
    }
    const beto = await participantOn(ws, { width: 360, height: 780 });
    await lane(beto).getByRole('button', { name: 'Sugerir grupos' }).click();
    const panel = beto.getByRole('region', { name: 'Grupos sugeridos' });
    await panel.getByText(FOG[1]!, { exact: true }).waitFor();
    const overflow = () => beto.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(await overflow()).toBeLessThanOrEqual(0);
    const title = panel.getByRole('textbox', { name: 'Título del grupo' }).first();
    await title.fill(LONG_TITLE);
    expect(await hiddenPart(title)).toEqual({ x: 0, y: 0 });
    // Enter does not break the title in two lines, nor does a pasted line break: a group's title is one line of text.
    await title.press('End');
    await title.press('Enter');
    expect(await title.inputValue()).toBe(LONG_TITLE);
    await title.fill('Riego por goteo\ny agricultores');
    expect(await title.inputValue()).toBe('Riego por goteo y agricultores');
    await title.fill(LONG_TITLE);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await shot(beto, 'suggestions-phone-open', panel);

    const doc = serverDoc(boardId);
    const updates: Uint8Array[] = [];
    const count = (u: Uint8Array) => updates.push(u);
    doc.on('update', count);
    await panel.getByRole('button', { name: 'Aceptar todos' }).click();
    await vi.waitFor(() => expect(panel.count()).resolves.toBe(0));
    expect(await focusedText(beto)).toBe('Sugerir grupos');
    await lane(beto).getByText('Se crearon 2 grupos sugeridos.').waitFor();
    await vi.waitFor(() => expect(doc.getMap('clusters').size).toBe(2));
    doc.off('update', count);
    expect(new Set(FOG.map((t) => clusterIdOf(doc, t))).size).toBe(1);
    expect(clusterIdOf(doc, ALONE)).toBeNull();
    expect(await overflow()).toBeLessThanOrEqual(0);
    await shot(beto, 'suggestions-phone-accepted', lane(beto));

    // Both groups reached the board as one change, written in Beto's name: the server binds the
    // clientID of every entry (the groups, the ideas' clusterId) to the participant who sent it.
    expect(updates).toHaveLength(1);
    const betoId = (ctx.server.app.sqlite.prepare("SELECT id FROM participants WHERE workshop_id = ? AND name = 'Beto Rojas'").get(ws.workshopId) as { id: string }).id;
    const ownerOf = (client: number) =>
      (ctx.server.app.sqlite.prepare('SELECT owner_id FROM board_clients WHERE board_id = ? AND client_id = ?').get(boardId, client) as { owner_id: string } | undefined)?.owner_id;
    const writers = new Set<number>();
    for (const cluster of doc.getMap<Y.Map<unknown>>('clusters').values()) writers.add(cluster._item!.id.client);
    for (const idea of doc.getMap<Y.Map<unknown>>('ideas').values()) if (idea.get('clusterId')) writers.add(idea._map.get('clusterId')!.id.client);
    expect([...writers].map(ownerOf)).toEqual([betoId]);

    // "Deshacer" takes that one change back whole: both groups go, their ideas are ungrouped again.
    await lane(beto).getByRole('button', { name: 'Deshacer' }).click();
    await vi.waitFor(() => expect(doc.getMap('clusters').size).toBe(0));
    expect([...DRIP, ...FOG].map((t) => clusterIdOf(doc, t))).toEqual(Array(5).fill(null));

    // When the facilitator stops allowing it, the button goes away.
    expect(await control.emitWithAck('session:command', { boardId, action: 'suggestions', allowParticipants: false })).toMatchObject({ ok: true });
    await vi.waitFor(() => expect(lane(beto).getByRole('button', { name: 'Sugerir grupos' }).count()).resolves.toBe(0));
    control.close();
    client.destroy();
  });

  it('accepts only the groups a participant may still create, and says why when none fit', async () => {
    const { ws, boardId, client } = await boardWithIdeas();
    const control = await connectControl(ctx.server.url, ws.facilitatorToken);
    for (const cmd of [{ action: 'start' }, { action: 'next' }, { action: 'suggestions', allowParticipants: true }]) {
      expect(await control.emitWithAck('session:command', { boardId, ...cmd } as never)).toMatchObject({ ok: true });
    }
    // Beto already made all his groups but one (on another question), from another connection of his.
    const beto = await joinApi(ctx.server.url, ws.code, { name: 'Beto Rojas' });
    const his = connectBoard(ctx.server.wsUrl, boardId, beto.token);
    await his.synced;
    his.doc.transact(() => {
      for (let i = 1; i < MAX_CLUSTERS_PER_PARTICIPANT; i++) createCluster(his.doc, { title: `Grupo ${i}`, questionId: 'desafio-6-p2' });
    });
    const doc = serverDoc(boardId);
    await vi.waitFor(() => expect(doc.getMap('clusters').size).toBe(MAX_CLUSTERS_PER_PARTICIPANT - 1));

    const page = await newPerson(ctx.browser, { width: 360, height: 780 });
    await page.goto(`${ctx.server.url}/taller/${ws.code}`);
    await page.evaluate(({ key, entry }) => localStorage.setItem(key, entry), { key: `minga:part:${ws.code}`, entry: JSON.stringify(beto) });
    await page.reload();
    await page.getByRole('link', { name: /Desafío 6/ }).click();
    await page.getByText(ALONE, { exact: true }).first().waitFor();
    await lane(page).getByRole('button', { name: 'Sugerir grupos' }).click();
    const panel = page.getByRole('region', { name: 'Grupos sugeridos' });
    await panel.getByText(FOG[1]!, { exact: true }).waitFor();

    // Two groups suggested, one fits: the button says what it will do, and the panel says why.
    await panel.getByText(`Puedes crear 1 grupo más en este tablero (hasta ${MAX_CLUSTERS_PER_PARTICIPANT} por persona).`).waitFor();
    await shot(page, 'suggestions-phone-room', panel);
    await panel.getByRole('button', { name: 'Aceptar el primero' }).click();
    await lane(page).getByText('Se creó 1 grupo sugerido.').waitFor();
    await vi.waitFor(() => expect(doc.getMap('clusters').size).toBe(MAX_CLUSTERS_PER_PARTICIPANT));
    expect(new Set(DRIP.map((t) => clusterIdOf(doc, t))).size).toBe(1);
    expect(clusterIdOf(doc, DRIP[0]!)).toBeTypeOf('string');

    // None fits now: nothing is sent, the buttons say why (and keep the focus), and so does the panel.
    const why = `Ya creaste el máximo de grupos por persona en este tablero (${MAX_CLUSTERS_PER_PARTICIPANT}), así que no cabe ninguna sugerencia más. Puedes borrar grupos o pedir a la facilitación que las acepte.`;
    await panel.getByText(why).waitFor();
    await shot(page, 'suggestions-phone-full', panel);
    const all = panel.getByRole('button', { name: 'Aceptar todos' });
    expect(await all.getAttribute('aria-disabled')).toBe('true');
    expect(await all.evaluate((el) => document.activeElement === el)).toBe(true);
    const one = panel.getByRole('button', { name: 'Aceptar', exact: true });
    expect(await one.getAttribute('aria-disabled')).toBe('true');
    expect(await one.evaluate((el) => [...(el.getAttribute('aria-describedby') ?? '').split(' ')].map((id) => document.getElementById(id)?.textContent?.trim()))).toContain(why);
    const updates: Uint8Array[] = [];
    const count = (u: Uint8Array) => updates.push(u);
    doc.on('update', count);
    // (Pressed from the keyboard: Playwright does not click what is aria-disabled.)
    await one.focus();
    await page.keyboard.press('Enter');
    await all.focus();
    await page.keyboard.press('Space');
    await page.getByRole('status').filter({ hasText: why }).first().waitFor({ state: 'attached' });
    expect(FOG.map((t) => clusterIdOf(doc, t))).toEqual([null, null]);
    // Nothing was refused either: no message of the server's.
    expect(await page.getByText('Llegaste al máximo de grupos por persona').count()).toBe(0);
    doc.off('update', count);
    expect(updates).toHaveLength(0);

    control.close();
    his.destroy();
    client.destroy();
  });
});
