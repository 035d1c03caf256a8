import { join as joinPath } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { connectBoard, connectControl, createCluster, createWorkshop, join, postIdea, type BoardClient, type ControlSocket } from '../helpers/clients.ts';
import { joinThroughLink, newPerson, useServerAndBrowser } from '../helpers/browser.ts';

/** MINGA_SCREENSHOTS=<folder> also saves what the pages look like (docs/screenshots). */
const shots = process.env.MINGA_SCREENSHOTS;

describe('"Resultados del taller" in Chromium', () => {
  const ctx = useServerAndBrowser();

  it('shows two boards and three sectors to the facilitator, live; a participant sees it on a phone once published', async () => {
    const ws = await createWorkshop(ctx.server.url, ['desafio-6', 'desafio-7']);
    const [b6, b7] = [ws.boards[0]!.id, ws.boards[1]!.id];
    const people = await Promise.all([
      join(ctx.server.url, ws.code, { name: 'Ana', sector: 'comunidad', comuna: 'Ovalle' }),
      join(ctx.server.url, ws.code, { name: 'Berta', sector: 'comunidad', comuna: 'Ovalle' }),
      join(ctx.server.url, ws.code, { name: 'Ulises', sector: 'universidad', comuna: 'La Serena' }),
      join(ctx.server.url, ws.code, { name: 'Mara', sector: 'mipyme', comuna: 'Coquimbo' })
    ]);
    const clients: BoardClient[] = [connectBoard(ctx.server.wsUrl, b6, people[0]!.token), connectBoard(ctx.server.wsUrl, b7, people[2]!.token)];
    const sockets: ControlSocket[] = await Promise.all(people.map((p) => connectControl(ctx.server.url, p.token)));
    try {
      await Promise.all(clients.map((c) => c.synced));
      const ana = { id: people[0]!.participantId, name: 'Ana', sector: 'comunidad' };
      const a = clients[0]!.doc;
      const riego = createCluster(a, { title: 'Riego tecnificado', questionId: 'desafio-6-p1' });
      const feria = createCluster(a, { title: 'Feria campesina', questionId: 'desafio-6-p1' });
      const goteo = postIdea(a, ana, { text: 'Goteo comunitario', questionId: 'desafio-6-p1', clusterId: riego });
      postIdea(clients[1]!.doc, { id: people[2]!.participantId, name: 'Ulises', sector: 'universidad' }, { text: 'Wifi en la posta rural', questionId: 'desafio-7-p1' });
      await vi.waitFor(() => expect(ctx.server.app.rooms.peek(b6)?.doc.getMap('clusters').size).toBe(2));
      for (const s of sockets) await s.emitWithAck('board:join', { boardId: b6 });
      const vote = async (i: number, targetId: string) => expect((await sockets[i]!.emitWithAck('vote:cast', { boardId: b6, targetId, delta: 1 })).ok).toBe(true);
      for (let d = 0; d < 2; d++) {
        await vote(0, feria);
        await vote(1, feria);
      }
      await vote(1, riego);
      await vote(2, riego);
      await vote(3, goteo); // a dot on an idea of Riego backs Riego too

      const fac = await newPerson(ctx.browser);
      await fac.goto(`${ctx.server.url}/taller/${ws.code}/facilitar#${ws.facilitatorToken}`);
      await fac.getByRole('heading', { name: 'Taller de prueba' }).waitFor();
      await fac.goto(`${ctx.server.url}/taller/${ws.code}/control`);
      await fac.getByRole('link', { name: 'Resultados del taller' }).click();
      await fac.getByRole('heading', { level: 1, name: 'Resultados del taller' }).waitFor();
      await fac.getByText('Personas: 4 · Tableros: 2').waitFor();

      const d6 = fac.getByRole('article', { name: /Desafío 6/ });
      const firstOf = (title: string) => d6.getByRole('region', { name: title }).getByRole('listitem').first();
      await expect.poll(() => firstOf('Grupos con más apoyo transversal').textContent()).toContain('Riego tecnificado');
      expect(await firstOf('Grupos con más votos').textContent()).toContain('Feria campesina');
      // One dot in the singular ('1 votos' before).
      expect(await firstOf('Ideas con más votos').textContent()).toMatch(/Goteo comunitario\s*P1 · 1 voto · /);
      expect(await fac.getByRole('article', { name: /Desafío 7/ }).getByText('Wifi en la posta rural').count()).toBeGreaterThan(0);
      // Each chart: an image with a text summary, and a table of the same figures.
      const bySector = fac.getByRole('img', { name: /^Participantes por sector: / });
      expect(await bySector.getAttribute('aria-label')).toMatch(/Comunidad \/ sociedad civil 2.*Universidad \/ centro de investigación 1.*MiPyME \/ emprendimiento 1/);
      const table = fac.getByRole('table', { name: 'Participantes por sector' });
      expect(await table.getByRole('row', { name: /Comunidad/ }).textContent()).toContain('2');
      expect(await fac.getByRole('img', { name: /^Cómo participó cada sector: / }).count()).toBe(1);
      expect(await fac.getByRole('img', { name: /^Ideas y votos en el tiempo/ }).count()).toBe(1);

      // Live: a new idea on board 6 reaches the open page without a reload.
      postIdea(a, ana, { text: 'Huerto escolar', questionId: 'desafio-6-p2' });
      await d6.getByText(/^Ideas: 2 · Grupos: 2 · Votos: 7/).waitFor({ timeout: 15_000 });
      if (shots) await fac.screenshot({ path: joinPath(shots, 'resultados-escritorio.png'), fullPage: true });

      // A participant on a phone: not yet published, then published by the facilitator.
      const phone = await newPerson(ctx.browser, { width: 360, height: 780 });
      await joinThroughLink(phone, `${ctx.server.url}/taller/${ws.code}`, { name: 'Olga', sector: 'organizacion_social', comuna: 'Illapel' });
      await phone.getByRole('link', { name: /Desafío 6/ }).waitFor();
      await phone.goto(`${ctx.server.url}/taller/${ws.code}/resultados`);
      await phone.getByText('La facilitación aún no publica los resultados del taller.', { exact: false }).waitFor();
      await fac.getByRole('button', { name: 'Publicar para participantes' }).click();
      await fac.getByRole('button', { name: 'Dejar de publicar' }).waitFor();
      await phone.getByRole('article', { name: /Desafío 6/ }).waitFor({ timeout: 10_000 });
      expect(await phone.getByRole('button', { name: 'Publicar para participantes' }).count()).toBe(0);
      expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      // No word of a figures table is cut across two lines ('Cambio' / 's escritos' before).
      const cutWords = await phone.evaluate(() => {
        const cut: string[] = [];
        for (const cell of document.querySelectorAll('table th, table td')) {
          const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            for (const m of (node.textContent ?? '').matchAll(/\S+/g)) {
              const range = document.createRange();
              range.setStart(node, m.index);
              range.setEnd(node, m.index + m[0].length);
              const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
              if (tops.size > 1) cut.push(m[0]);
            }
          }
        }
        return cut;
      });
      expect(cutWords).toEqual([]);
      if (shots) await phone.screenshot({ path: joinPath(shots, 'resultados-telefono.png'), fullPage: true });

      // The projector ranks the board's groups both ways (R, or its button).
      await fac.setViewportSize({ width: 1920, height: 1080 });
      await fac.goto(`${ctx.server.url}/tablero/${b6}/proyector`);
      await fac.getByText('Riego tecnificado').first().waitFor();
      await fac.keyboard.press('r');
      const ranking = fac.getByRole('region', { name: 'Ranking de grupos (R)' });
      const first = (title: string) => ranking.getByRole('heading', { name: title }).locator('xpath=..').getByRole('listitem').first();
      await expect.poll(() => first('Grupos con más apoyo transversal').textContent()).toContain('Riego tecnificado');
      expect(await first('Grupos con más votos').textContent()).toContain('Feria campesina');
      expect(await fac.getByRole('button', { name: 'Ranking de grupos (R)' }).getAttribute('aria-pressed')).toBe('true');
      if (shots) await fac.screenshot({ path: joinPath(shots, 'proyector-ranking.png') });
    } finally {
      for (const c of clients) c.destroy();
      for (const s of sockets) s.close();
    }
  });
});
