import { describe, expect, it } from 'vitest';
import { api, createWorkshop } from '../helpers/clients.ts';
import { newPerson, useServerAndBrowser } from '../helpers/browser.ts';

describe('replacing the facilitator link from the control room', () => {
  const ctx = useServerAndBrowser();

  it('shows the new link once, revokes the old one, and keeps the control room running (keyboard only)', async () => {
    const ws = await createWorkshop(ctx.server.url, ['desafio-6']);
    const fac = await newPerson(ctx.browser);
    await fac.goto(`${ctx.server.url}/taller/${ws.code}/facilitar#${ws.facilitatorToken}`);
    await fac.getByRole('heading', { name: 'Taller de prueba' }).waitFor();
    await fac.goto(`${ctx.server.url}/taller/${ws.code}/control`);
    await fac.getByText('En vivo', { exact: true }).waitFor();

    await fac.getByRole('button', { name: 'Cambiar enlace de facilitación…' }).focus();
    await fac.keyboard.press('Enter');
    const confirm = fac.getByRole('button', { name: 'Sí, cambiar enlace' });
    await confirm.waitFor();
    expect(await confirm.evaluate((el) => el === document.activeElement)).toBe(true);
    await fac.keyboard.press('Enter');
    await fac.getByText(/Enlace nuevo listo/).waitFor();

    const link = await fac.getByLabel('Enlace de facilitación').inputValue();
    expect(link).toMatch(new RegExp(`/taller/${ws.code}/facilitar#`));
    const fresh = link.split('#')[1]!;
    expect(fresh).not.toBe(ws.facilitatorToken);
    expect((await api(ctx.server.url, '/api/me', { token: ws.facilitatorToken })).status).toBe(401);
    expect((await api(ctx.server.url, '/api/me', { token: fresh })).status).toBe(200);

    // The room reconnected with the new token and still runs the session.
    await fac.getByText('En vivo', { exact: true }).waitFor();
    await fac.getByRole('button', { name: 'Iniciar sesión…' }).click();
    await fac.getByRole('button', { name: 'Iniciar', exact: true }).click();
    await fac.getByRole('button', { name: 'Pausar', exact: true }).waitFor();

    // This browser keeps the new token; the link is not shown again.
    await fac.reload();
    await fac.getByText('En vivo', { exact: true }).waitFor();
    expect(await fac.getByText(/Enlace nuevo listo/).count()).toBe(0);
  });
});
