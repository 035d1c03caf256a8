import { describe, expect, it, vi } from 'vitest';
import { connectBoard, connectControl, createCluster, createWorkshop, join, type ControlSocket } from '../helpers/clients.ts';
import { joinThroughLink, newPerson, useServerAndBrowser } from '../helpers/browser.ts';

describe('a board sorted by dots or by cross-sector support, in Chromium', () => {
  const ctx = useServerAndBrowser();

  it('reorders the groups from the toolbar (keyboard) and tells each sector\'s supporters in words', async () => {
    const ws = await createWorkshop(ctx.server.url, ['desafio-6']);
    const boardId = ws.boards[0]!.id;
    const people = await Promise.all([
      join(ctx.server.url, ws.code, { name: 'Ana', sector: 'comunidad', comuna: 'Ovalle' }),
      join(ctx.server.url, ws.code, { name: 'Berta', sector: 'comunidad', comuna: 'Ovalle' }),
      join(ctx.server.url, ws.code, { name: 'Ulises', sector: 'universidad', comuna: 'La Serena' }),
      join(ctx.server.url, ws.code, { name: 'Mara', sector: 'mipyme', comuna: 'Coquimbo' })
    ]);
    const writer = connectBoard(ctx.server.wsUrl, boardId, people[0]!.token);
    const sockets: ControlSocket[] = await Promise.all(people.map((p) => connectControl(ctx.server.url, p.token)));
    try {
      await writer.synced;
      const feria = createCluster(writer.doc, { title: 'Feria campesina', questionId: 'desafio-6-p1' });
      const riego = createCluster(writer.doc, { title: 'Riego tecnificado', questionId: 'desafio-6-p1' });
      const huerto = createCluster(writer.doc, { title: 'Huerto escolar', questionId: 'desafio-6-p1' });
      await vi.waitFor(() => expect(ctx.server.app.rooms.peek(boardId)?.doc.getMap('clusters').size).toBe(3));
      for (const s of sockets) await s.emitWithAck('board:join', { boardId });
      const vote = async (i: number, targetId: string) => expect((await sockets[i]!.emitWithAck('vote:cast', { boardId, targetId, delta: 1 })).ok).toBe(true);
      for (let d = 0; d < 3; d++) {
        await vote(0, huerto);
        await vote(1, huerto);
      }
      await vote(1, riego);
      await vote(2, riego);
      await vote(3, riego);
      await vote(0, feria);

      const page = await newPerson(ctx.browser);
      await joinThroughLink(page, `${ctx.server.url}/taller/${ws.code}`, { name: 'Olga', sector: 'organizacion_social', comuna: 'Illapel' });
      await page.getByRole('link', { name: /Desafío 6/ }).click();
      await page.locator('text=Huerto escolar >> visible=true').first().waitFor();
      const titles = async () => (await page.locator('#lane-desafio-6-p1').innerText()).match(/Feria campesina|Riego tecnificado|Huerto escolar/g)!.slice(0, 3);

      const select = page.getByLabel('Ordenar las ideas');
      await select.focus();
      await select.selectOption('dots');
      await expect.poll(titles).toEqual(['Huerto escolar', 'Riego tecnificado', 'Feria campesina']);
      await select.selectOption('support');
      await expect.poll(titles).toEqual(['Riego tecnificado', 'Huerto escolar', 'Feria campesina']);

      // A screen reader hears the support with the dots; the tooltip lists each sector in words.
      const total = page.getByRole('button', { name: /^3 votos .*Apoyo transversal: / });
      expect(await total.count()).toBeGreaterThan(0);
      // ...and each sector's supporters of its voters, as the tooltip shows them.
      expect(await total.first().getAttribute('aria-label')).toMatch(/Apoyo por sector: .*Comunidad \/ sociedad civil: \d de 2 votantes/);
      await total.first().focus();
      await page.getByText('Comunidad / sociedad civil: 1 de 2 votantes').waitFor();
    } finally {
      writer.destroy();
      for (const s of sockets) s.close();
    }
  });
});
