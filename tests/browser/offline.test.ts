import type { Page } from 'playwright-core';
import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { connectBoard, connectControl, createWorkshop, join, postIdea, type BoardClient } from '../helpers/clients.ts';
import { joinThroughLink, newPerson, useServerAndBrowser } from '../helpers/browser.ts';
import { LOAD_WAIT_MS } from '../../web/src/lib/offline/local-doc.ts';

/**
 * A participant loses the network, keeps writing, reloads the page while still offline (the
 * service worker serves the app, IndexedDB the board) and writes more: once back online, the
 * others receive every idea. Also in private ideation, whose doc is a separate one.
 */
describe('offline: reload, keep writing, sync on reconnect (Chromium)', () => {
  const ctx = useServerAndBrowser();
  /** Reconnecting takes a few seconds on a loaded 2-core machine. */
  const WAIT = { timeout: 15_000 };
  const OFFLINE = 'Sin conexión — tus cambios se guardan en este dispositivo';

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
    // The app shell must be cached before the network goes: the worker installs on this first visit.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, WAIT);
    await page.getByText('Sincronizado', { exact: true }).waitFor(WAIT);
    return { ws, boardId, observer, control, command, page, errors };
  }

  const post = async (page: Page, text: string) => {
    const field = page.getByLabel('Nueva idea').first();
    await field.fill(text);
    await field.press('Enter');
    await page.getByText(text, { exact: true }).waitFor();
  };

  const ideaTexts = (client: BoardClient) =>
    [...client.doc.getMap<Y.Map<unknown>>('ideas').values()].map((m) => m.get('text') as string).sort();

  /** Reloads offline; the page asks before leaving unsynced changes (accepted here). */
  async function reloadOffline(page: Page): Promise<string[]> {
    const dialogs: string[] = [];
    const onDialog = (d: import('playwright-core').Dialog) => {
      dialogs.push(d.type());
      void d.accept();
    };
    page.on('dialog', onDialog);
    await page.reload();
    page.off('dialog', onDialog);
    return dialogs;
  }

  it('keeps ideas written offline across a reload and sends them all on reconnect', async () => {
    const { observer, page, control, errors } = await setUp();
    await post(page, 'Escrita en línea');
    await vi.waitFor(() => expect(ideaTexts(observer)).toEqual(['Escrita en línea']), WAIT);

    await page.context().setOffline(true);
    await page.getByText(OFFLINE, { exact: true }).waitFor();
    await post(page, 'Sin conexión, antes de recargar');
    expect(await reloadOffline(page)).toEqual(['beforeunload']);

    // The board comes from this device: the idea written offline is still there.
    await page.getByText('Sin conexión, antes de recargar', { exact: true }).waitFor();
    await page.getByText('Escrita en línea', { exact: true }).waitFor();
    await page.getByText(OFFLINE, { exact: true }).waitFor();
    await post(page, 'Sin conexión, después de recargar');
    expect(ideaTexts(observer)).toEqual(['Escrita en línea']);

    await page.context().setOffline(false);
    await vi.waitFor(
      () => expect(ideaTexts(observer)).toEqual(['Escrita en línea', 'Sin conexión, antes de recargar', 'Sin conexión, después de recargar']),
      WAIT
    );
    await page.getByText('Sincronizado', { exact: true }).waitFor(WAIT);
    // Everything is acknowledged: leaving asks nothing now.
    expect(await reloadOffline(page)).toEqual([]);
    await page.getByText('Sin conexión, después de recargar', { exact: true }).waitFor();
    expect(errors).toEqual([]);
    control.close();
    observer.destroy();
  });

  it('keeps private ideas written offline across a reload and sends them on reconnect', async () => {
    const { ws, boardId, observer, command, page, control, errors } = await setUp();
    expect(await command({ action: 'start', privateIdeation: true })).toMatchObject({ ok: true });
    await page.getByText(/ideación privada/i).first().waitFor(WAIT);

    await page.context().setOffline(true);
    await page.getByText(OFFLINE, { exact: true }).waitFor();
    await post(page, 'Privada antes de recargar');
    expect(await reloadOffline(page)).toEqual(['beforeunload']);
    await page.getByText('Privada antes de recargar', { exact: true }).waitFor();
    await post(page, 'Privada después de recargar');

    await page.context().setOffline(false);
    const anaId = await page.evaluate(() => JSON.parse(localStorage.getItem(Object.keys(localStorage).find((k) => k.startsWith('minga:part:'))!)!).participantId as string);
    // The facilitator can read a participant's private doc; nobody else sees it before the reveal.
    const fac = connectBoard(ctx.server.wsUrl, `${boardId}:private:${anaId}`, ws.facilitatorToken);
    await fac.synced;
    await vi.waitFor(() => expect(ideaTexts(fac)).toEqual(['Privada antes de recargar', 'Privada después de recargar']), WAIT);
    await page.getByText('Sincronizado', { exact: true }).waitFor(WAIT);
    expect(ideaTexts(observer)).toEqual([]);
    expect(await command({ action: 'reveal' })).toMatchObject({ ok: true });
    await vi.waitFor(() => expect(ideaTexts(observer)).toEqual(['Privada antes de recargar', 'Privada después de recargar']), WAIT);
    expect(errors).toEqual([]);
    fac.destroy();
    control.close();
    observer.destroy();
  });

  it('asks for the board at once on a first visit, without waiting for IndexedDB (a device that never opened it holds no copy)', async () => {
    const ws = await createWorkshop(ctx.server.url, ['desafio-6']);
    const boardId = ws.boards[0]!.id;
    const beto = await join(ctx.server.url, ws.code, { name: 'Beto', sector: 'universidad' });
    const writer = connectBoard(ctx.server.wsUrl, boardId, beto.token);
    await writer.synced;
    postIdea(writer.doc, { id: beto.participantId, name: 'Beto', sector: 'universidad' }, { text: 'Ya estaba en el tablero', questionId: 'desafio-6-p1' });
    const page = await newPerson(ctx.browser);
    // An IndexedDB that never opens the board's copy, and the wait for it that never gives up:
    // only a page that does not wait for IndexedDB can show the board.
    await page.addInitScript((wait: number) => {
      const open = IDBFactory.prototype.open;
      IDBFactory.prototype.open = function (this: IDBFactory, name: string, version?: number) {
        if (!name.startsWith('minga:')) return open.call(this, name, version);
        return { onsuccess: null, onerror: null, onupgradeneeded: null, onblocked: null, addEventListener() {}, removeEventListener() {} } as unknown as IDBOpenDBRequest;
      };
      const later = window.setTimeout;
      window.setTimeout = ((fn: TimerHandler, ms?: number, ...rest: unknown[]) => (ms === wait ? 0 : later(fn, ms, ...rest))) as typeof window.setTimeout;
    }, LOAD_WAIT_MS);
    await joinThroughLink(page, `${ctx.server.url}/taller/${ws.code}`, { name: 'Ana Pérez', sector: 'comunidad', comuna: 'Ovalle' });
    await page.getByRole('link', { name: /Desafío 6/ }).click();
    await page.getByText('Ya estaba en el tablero', { exact: true }).waitFor(WAIT);
    await page.getByText('Sincronizado', { exact: true }).waitFor(WAIT);
    writer.destroy();
  });

  it('"Salir y borrar de este dispositivo" leaves no token, board copy or cache of the workshop', async () => {
    const { ws, page, control, observer } = await setUp();
    await post(page, 'Antes de salir');
    await page.getByText('Sincronizado', { exact: true }).waitFor(WAIT);
    const stored = () =>
      page.evaluate(async () => ({
        dbs: (await indexedDB.databases()).map((d) => d.name ?? ''),
        keys: Object.keys(localStorage),
        caches: await caches.keys()
      }));
    const before = await stored();
    expect(before.dbs.filter((n) => n.includes(ws.code))).toHaveLength(1);
    expect(before.keys).toContain(`minga:part:${ws.code}`);
    expect(before.caches.length).toBeGreaterThan(0);
    await page.getByText(/Este dispositivo guarda tu acceso a este taller/).waitFor();

    // By keyboard: the question puts the focus on "Cancelar", the next button confirms.
    await page.getByRole('button', { name: 'Salir y borrar de este dispositivo' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('group', { name: /¿Salir y borrar/ }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Cancelar');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${ctx.server.url}/`);
    // Deleting runs on after the page has left (the board's docs held the databases open).
    const left = async () => {
      const { dbs, keys, caches } = await stored();
      return { dbs: dbs.filter((n) => n.includes(ws.code)), keys: keys.filter((k) => k.includes(ws.code) || k.startsWith('minga:board:')), caches };
    };
    await expect.poll(left, WAIT).toEqual({ dbs: [], keys: [], caches: [] });
    control.close();
    observer.destroy();
  });

  it('never brings back from the device an idea the server refused', async () => {
    const { observer, command, page, control, errors } = await setUp();
    await page.context().setOffline(true);
    await page.getByText(OFFLINE, { exact: true }).waitFor();
    await post(page, 'Escrita antes del bloqueo');
    expect(await command({ action: 'lock' })).toMatchObject({ ok: true });
    await page.context().setOffline(false);
    const panel = page.getByRole('region', { name: '1 idea tuya no se publicó' });
    await panel.waitFor(WAIT);
    // Unlocked now: a stored copy that still held the refused idea would post it on the next visit.
    expect(await command({ action: 'unlock' })).toMatchObject({ ok: true });
    await expect.poll(() => panel.getByRole('button', { name: 'Publicar de nuevo' }).isEnabled(), WAIT).toBe(true);
    await page.getByText('Sincronizado', { exact: true }).waitFor(WAIT);
    await page.reload();
    await post(page, 'Después de recargar');
    await vi.waitFor(() => expect(ideaTexts(observer)).toContain('Después de recargar'), WAIT);
    expect(ideaTexts(observer)).toEqual(['Después de recargar']);
    expect(await page.getByText('Escrita antes del bloqueo', { exact: true }).count()).toBe(0);
    expect(errors).toEqual([]);
    control.close();
    observer.destroy();
  });

  it('removes the stored board of a person the facilitator removed', async () => {
    const { ws, boardId, page, control, observer } = await setUp();
    await post(page, 'Antes de que me retiren');
    const mine = () => page.evaluate(async (code) => (await indexedDB.databases()).map((d) => d.name ?? '').filter((n) => n.includes(code)), ws.code);
    expect(await mine()).toHaveLength(1);
    const anaId = await page.evaluate((code) => JSON.parse(localStorage.getItem(`minga:part:${code}`)!).participantId as string, ws.code);
    await control.emitWithAck('board:join', { boardId });
    expect(await control.emitWithAck('session:command', { boardId, action: 'remove', participantId: anaId })).toMatchObject({ ok: true });
    await page.getByRole('heading', { name: 'Ya no estás en este taller' }).waitFor(WAIT);
    await expect.poll(mine, WAIT).toEqual([]);
    expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('minga:board:')))).toEqual([]);
    control.close();
    observer.destroy();
  });
});
