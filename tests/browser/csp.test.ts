import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createWorkshop } from '../helpers/clients.ts';
import { joinThroughLink, newPerson, useServerAndBrowser } from '../helpers/browser.ts';

/** Every CSP violation a page reports, from the DOM event and from the console. */
async function watchViolations(page: Page): Promise<string[]> {
  const seen: string[] = [];
  await page.exposeFunction('__reportViolation', (text: string) => seen.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __reportViolation(t: string): void }).__reportViolation(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  page.on('console', (msg) => {
    if (/Content Security Policy|Refused to/i.test(msg.text())) seen.push(msg.text());
  });
  return seen;
}

describe('the app under its Content-Security-Policy', () => {
  const ctx = useServerAndBrowser();

  it('works on the home, join, board, proposal, control room and projector pages with no violation', async () => {
    const ws = await createWorkshop(ctx.server.url, ['desafio-6']);
    const boardId = ws.boards[0]!.id;

    const ana = await newPerson(ctx.browser, { width: 360, height: 780 });
    const anaSeen = await watchViolations(ana);
    await ana.goto(ctx.server.url);
    await ana.getByRole('heading', { level: 1 }).first().waitFor();
    await joinThroughLink(ana, `${ctx.server.url}/taller/${ws.code}`, { name: 'Ana Pérez', sector: 'comunidad', comuna: 'Ovalle' });
    await ana.getByRole('link', { name: /Desafío 6/ }).click();
    const newIdea = ana.getByLabel('Nueva idea').first();
    await newIdea.fill('Huertos comunitarios');
    await newIdea.press('Enter');
    await ana.getByText('Huertos comunitarios', { exact: true }).waitFor();
    await ana.getByText('Sincronizado', { exact: true }).waitFor();

    const fac = await newPerson(ctx.browser);
    const facSeen = await watchViolations(fac);
    await fac.goto(`${ctx.server.url}/taller/${ws.code}/facilitar#${ws.facilitatorToken}`);
    await fac.getByRole('heading', { name: 'Taller de prueba' }).waitFor();
    await fac.goto(`${ctx.server.url}/taller/${ws.code}/control`);
    await fac.getByText('En vivo', { exact: true }).waitFor();
    await fac.goto(`${ctx.server.url}/tablero/${boardId}`);
    await fac.getByText('Huertos comunitarios', { exact: true }).waitFor();
    await fac.goto(`${ctx.server.url}/tablero/${boardId}/proyector`);
    await fac.getByRole('img', { name: new RegExp(`Código QR.*${ws.code}`) }).waitFor();
    await fac.getByText('Huertos comunitarios', { exact: true }).waitFor();

    expect(anaSeen).toEqual([]);
    expect(facSeen).toEqual([]);
  });
});
