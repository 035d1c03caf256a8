import { describe, expect, it, vi } from 'vitest';
import { connectBoard, connectControl, createWorkshop, join, postIdea } from '../helpers/clients.ts';
import { newPerson, useServerAndBrowser } from '../helpers/browser.ts';

describe('board history ("Historial") in Chromium', () => {
  const ctx = useServerAndBrowser();

  it('lists the checkpoints and restores one with the keyboard after a confirmation; the participant gets every idea back (on a phone)', async () => {
    const ws = await createWorkshop(ctx.server.url, ['desafio-6']);
    const boardId = ws.boards[0]!.id;
    const ana = await join(ctx.server.url, ws.code, { name: 'Ana Pérez' });
    const participant = connectBoard(ctx.server.wsUrl, boardId, ana.token);
    const facilitatorDoc = connectBoard(ctx.server.wsUrl, boardId, ws.facilitatorToken);
    const control = await connectControl(ctx.server.url, ws.facilitatorToken);
    try {
      await Promise.all([participant.synced, facilitatorDoc.synced]);
      const who = { id: ana.participantId, name: 'Ana Pérez', sector: 'comunidad' };
      const ideas = ['Huertos comunitarios', 'Riego por goteo', 'Banco de semillas'].map((text) =>
        postIdea(participant.doc, who, { text, questionId: 'desafio-6-p1' })
      );
      await vi.waitFor(() => expect(facilitatorDoc.doc.getMap('ideas').size).toBe(3));
      expect((await control.emitWithAck('session:command', { boardId, action: 'start' })).ok).toBe(true);
      // A mass delete after the checkpoint of the phase change.
      facilitatorDoc.doc.transact(() => {
        for (const id of ideas) facilitatorDoc.doc.getMap('ideas').delete(id);
      });
      await vi.waitFor(() => expect(participant.doc.getMap('ideas').size).toBe(0));

      const page = await newPerson(ctx.browser, { width: 360, height: 780 });
      await page.goto(`${ctx.server.url}/taller/${ws.code}/facilitar#${ws.facilitatorToken}`);
      await page.getByRole('heading', { name: 'Taller de prueba' }).waitFor();
      await page.goto(`${ctx.server.url}/taller/${ws.code}/control`);
      const history = page.getByRole('button', { name: 'Historial' });
      await history.focus();
      await page.keyboard.press('Enter');
      expect(await history.getAttribute('aria-expanded')).toBe('true');
      const panel = page.getByRole('region', { name: /Historial de/ });
      await panel.getByText('Cambio de fase: Ideación').waitFor();
      await panel.getByText('3 ideas').waitFor();

      // "Restaurar" asks first; Escape cancels and gives the focus back.
      const restore = panel.getByRole('button', { name: /Restaurar el tablero a .* \(Cambio de fase: Ideación\)/ });
      await restore.focus();
      await page.keyboard.press('Enter');
      const confirm = panel.getByRole('group', { name: /¿Volver el tablero a/ });
      await confirm.waitFor();
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Cancelar');
      await page.keyboard.press('Escape');
      await confirm.waitFor({ state: 'detached' });
      await expect.poll(() => restore.evaluate((el) => el === document.activeElement)).toBe(true);
      expect(participant.doc.getMap('ideas').size).toBe(0);

      await page.keyboard.press('Enter');
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Sí, restaurar');
      await page.keyboard.press('Enter');
      await panel.getByRole('status').getByText(/Tablero restaurado a .*: 3 ideas/).waitFor();
      await vi.waitFor(() => expect([...participant.doc.getMap('ideas').keys()].sort()).toEqual([...ideas].sort()));
      // The list now starts with the point that undoes the restore.
      const newest = panel.getByRole('listitem').first();
      await newest.getByText('Antes de restaurar', { exact: true }).waitFor();
      await newest.getByText('0 ideas').waitFor();

      // Nothing spills out of a 360 px screen.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

      // English too.
      await page.getByRole('button', { name: 'English' }).click();
      await page.getByRole('button', { name: 'History' }).waitFor();
      await page.getByRole('region', { name: /History of/ }).getByRole('listitem').first().getByText('Before a restore', { exact: true }).waitFor();
      await page.context().close();
    } finally {
      participant.destroy();
      facilitatorDoc.destroy();
      control.close();
    }
  });
});
