import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { createWorkshop } from '../helpers/clients.ts';
import { joinThroughLink, launchBrowser, newPerson, WEB_ROOT } from '../helpers/browser.ts';
import { startServerProcess, type ServerProcess } from '../helpers/process.ts';

describe('a graceful restart in Chromium', () => {
  let browser: Browser;
  const dir = mkdtempSync(joinPath(tmpdir(), 'minga-restart-'));
  const servers: ServerProcess[] = [];
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    for (const s of servers) await s.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the board and the control room come back by themselves, say so, and follow the session again', async () => {
    const first = await startServerProcess(dir, { MINGA_WEB_ROOT: WEB_ROOT });
    servers.push(first);
    const ws = await createWorkshop(first.url, ['desafio-6']);

    const fac = await newPerson(browser);
    await fac.goto(`${first.url}/taller/${ws.code}/facilitar#${ws.facilitatorToken}`);
    await fac.getByRole('heading', { name: 'Taller de prueba' }).waitFor();
    await fac.goto(`${first.url}/taller/${ws.code}/control`);
    await fac.getByRole('button', { name: 'Iniciar sesión…' }).waitFor();
    await fac.getByText('En vivo', { exact: true }).waitFor();

    const ana = await newPerson(browser, { width: 360, height: 780 });
    await joinThroughLink(ana, `${first.url}/taller/${ws.code}`, { name: 'Ana Pérez', sector: 'comunidad', comuna: 'Ovalle' });
    await ana.getByRole('link', { name: /Desafío 6/ }).click();
    await ana.getByLabel('Nueva idea').first().waitFor();

    await first.stop(); // SIGTERM: the graceful shutdown of `npm start`
    await ana.getByText('Reconectando con la sesión', { exact: false }).waitFor();
    await fac.getByText('Reconectando…', { exact: true }).waitFor();

    const second = await startServerProcess(dir, { MINGA_WEB_ROOT: WEB_ROOT, PORT: new URL(first.url).port });
    servers.push(second);
    await fac.getByText('En vivo', { exact: true }).waitFor({ timeout: 20_000 });
    await ana.getByText('Reconectando con la sesión', { exact: false }).waitFor({ state: 'hidden', timeout: 20_000 });

    // No reload: a session started from the control room reaches the participant's board.
    await fac.getByRole('button', { name: 'Iniciar sesión…' }).click();
    await fac.getByRole('button', { name: 'Iniciar', exact: true }).click();
    await fac.getByRole('button', { name: 'Pausar', exact: true }).waitFor();
    await ana.getByRole('heading', { name: 'Ideación', exact: true }).waitFor();
  });
});
