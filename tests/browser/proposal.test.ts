import { readFile } from 'node:fs/promises';
import type { Download, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { connectControl, createWorkshop } from '../helpers/clients.ts';
import { ideaActions, joinThroughLink, newPerson, useServerAndBrowser } from '../helpers/browser.ts';

describe('the proposal draft ("Borrador de propuesta") in Chromium', () => {
  const ctx = useServerAndBrowser();

  /** Both join by the link, open the board of challenge 6 and its draft panel. */
  async function twoOnADraft(viewport = { width: 1366, height: 900 }) {
    const ws = await createWorkshop(ctx.server.url, ['desafio-6']);
    const pages: Page[] = [];
    for (const who of [
      { name: 'Ana Pérez', sector: 'comunidad', comuna: 'Ovalle' },
      { name: 'Beto Rojas', sector: 'universidad', comuna: 'La Serena' }
    ]) {
      const page = await newPerson(ctx.browser, viewport);
      await joinThroughLink(page, `${ctx.server.url}/taller/${ws.code}`, who);
      await page.getByRole('link', { name: /Desafío 6/ }).click();
      await page.waitForURL(/\/tablero\//);
      await page.getByLabel('Nueva idea').first().waitFor();
      await draftToggle(page).click();
      pages.push(page);
    }
    return { ws, pages: pages as [Page, Page] };
  }

  /** "Borrador de propuesta", shortened to "Borrador" on narrow screens. */
  const draftToggle = (page: Page) => page.getByRole('button', { name: /^Borrador( de propuesta)?$/ });
  const section = (page: Page, label: string) => page.getByRole('textbox', { name: label, exact: true });

  async function exportAs(page: Page, item: RegExp): Promise<Download> {
    await page.getByRole('button', { name: 'Exportar' }).click();
    const download = page.waitForEvent('download');
    await page.getByRole('menuitem', { name: item }).click();
    return download;
  }

  it('shows the team name and one person’s text live to the other, takes an idea into a section, and exports DOCX and Markdown', async () => {
    const { ws, pages } = await twoOnADraft();
    const [ana, beto] = pages;

    // The facilitator names the team; the open panels show it without a reload.
    await beto.getByText('todavía sin nombre (lo escribe la facilitación)').waitFor();
    const named = await fetch(`${ctx.server.url}/api/boards/${ws.boards[0]!.id}/team`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${ws.facilitatorToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ teamName: 'Equipo Canela Alta' })
    });
    expect(named.status).toBe(200);
    await beto.getByText('Equipo Canela Alta', { exact: true }).waitFor();

    // Ana writes "Problema u oportunidad", with bold through Ctrl+B; Beto sees it as she types.
    await section(ana, 'Problema u oportunidad').click();
    await ana.keyboard.type('El agua no alcanza ');
    await ana.keyboard.press('Control+b');
    await ana.keyboard.type('en verano');
    await ana.keyboard.press('Control+b');
    await section(beto, 'Problema u oportunidad').locator('strong', { hasText: 'en verano' }).waitFor();
    expect(await section(beto, 'Problema u oportunidad').innerText()).toBe('El agua no alcanza en verano');
    // Tab leaves the editor (no keyboard trap) and types no tab character.
    await ana.keyboard.press('Tab');
    expect(await ana.evaluate(() => document.activeElement?.classList.contains('ql-editor'))).toBe(false);

    // Beto posts an idea and takes it to "Innovación" with "Llevar al borrador".
    const idea = beto.getByLabel('Nueva idea').first();
    await idea.fill('Atrapanieblas en la costa de Canela');
    await idea.press('Enter');
    await (await ideaActions(beto, 'Atrapanieblas en la costa de Canela')).getByRole('menuitem', { name: 'Innovación' }).click();
    await beto.getByText('Agregado a «Innovación».').first().waitFor();
    await section(ana, 'Innovación').getByText('Atrapanieblas en la costa de Canela — Beto Rojas (0 votos)').waitFor();

    // Exportar → Word: a download named after the challenge and the day.
    const docx = await exportAs(ana, /Word/);
    expect(docx.suggestedFilename()).toMatch(/^desafio-6-propuesta-\d{4}-\d{2}-\d{2}\.docx$/);
    const bytes = await readFile((await docx.path())!);
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK'); // a zip, as every .docx is
    await ana.getByText(/Descargado: desafio-6-propuesta-/).first().waitFor(); // on screen and in the live region

    // Markdown holds the typed text with its bold, and the idea in its section.
    const md = await exportAs(beto, /Markdown/);
    expect(md.suggestedFilename()).toMatch(/^desafio-6-propuesta-\d{4}-\d{2}-\d{2}\.md$/);
    const text = await readFile((await md.path())!, 'utf8');
    expect(text).toContain('El agua no alcanza **en verano**');
    expect(text).toContain('- Atrapanieblas en la costa de Canela — Beto Rojas (0 votos)');
    expect(text.indexOf('El agua no alcanza')).toBeLessThan(text.indexOf('- Atrapanieblas en la costa de Canela — Beto'));
  });

  it('makes the draft read-only, with the reason, while the phase does not allow writing it (on a phone)', async () => {
    const { ws, pages } = await twoOnADraft({ width: 360, height: 780 });
    const [ana] = pages;
    const problem = section(ana, 'Problema u oportunidad');
    await expect.poll(() => problem.getAttribute('contenteditable')).toBe('true');

    // The drawer covers the phone's screen; Escape closes it and gives the focus back to its button.
    await ana.keyboard.press('Escape');
    await expect.poll(() => ana.evaluate(() => document.activeElement?.id)).toBe('draft-toggle');
    const idea = ana.getByLabel('Nueva idea').first();
    await idea.fill('Riego por goteo compartido');
    await idea.press('Enter');
    await ideaActions(ana, 'Riego por goteo compartido');
    await ana.getByRole('menuitem', { name: 'Innovación' }).waitFor();
    await ana.keyboard.press('Escape');

    const control = await connectControl(ctx.server.url, ws.facilitatorToken);
    try {
      const boardId = ws.boards[0]!.id;
      expect(await control.emitWithAck('session:command', { boardId, action: 'start' })).toMatchObject({ ok: true });
      // While the draft is read-only, the idea's menu no longer offers its sections.
      await expect.poll(async () => {
        await ideaActions(ana, 'Riego por goteo compartido');
        const n = await ana.getByRole('menuitem', { name: 'Innovación' }).count();
        await ana.keyboard.press('Escape');
        return n;
      }, { timeout: 10_000 }).toBe(0);
      await draftToggle(ana).click();
      await ana.getByText(/Solo lectura durante la fase «Ideación»/).waitFor();
      expect(await problem.getAttribute('contenteditable')).toBe('false');
      expect(await problem.getAttribute('aria-readonly')).toBe('true');

      expect(await control.emitWithAck('session:command', { boardId, action: 'end' })).toMatchObject({ ok: true });
      await expect.poll(() => problem.getAttribute('contenteditable')).toBe('true');
      expect(await ana.getByText(/Solo lectura/).count()).toBe(0);
    } finally {
      control.close();
    }
  });
});
