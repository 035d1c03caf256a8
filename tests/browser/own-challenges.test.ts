import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { CHALLENGES } from '../../seed/challenges.ts';
import { api } from '../helpers/clients.ts';
import { newPerson, useServerAndBrowser } from '../helpers/browser.ts';

const seed = (id: string) => CHALLENGES.find((c) => c.id === id)!;
const Q1 = '¿Cómo cuidamos el agua de las escuelas?';
const Q2 = '¿Quién paga el camión aljibe?';
const Q3 = '¿Qué hacemos con las aguas grises?';

/** Excerpts of seed/desafios-coquimbo-2022.txt: three challenges in its first two layouts. */
const CALL_TEXT = ['desafio-2', 'desafio-3', 'desafio-4']
  .map((id) => {
    const c = seed(id);
    return `DESAFÍO ${c.number}\t${c.sourceTitle}\n------------------\t---\n\n${c.questions.map((q) => q.text).join(', ')}\n\n${c.context.join('\n\n')}\n`;
  })
  .join('\n');

interface Focused {
  id: string;
  name: string;
  value: string | null;
  invalid: string | null;
  described: string;
}

/** The focused element: its id, its accessible name (aria-label, label or text) and, for fields, value and error. */
const focused = (page: Page): Promise<Focused> =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement & { value?: string; labels?: NodeListOf<HTMLLabelElement> };
    const name = el.getAttribute('aria-label') ?? el.labels?.[0]?.textContent ?? el.textContent ?? '';
    const described = (el.getAttribute('aria-describedby') ?? '')
      .split(' ')
      .map((id) => document.getElementById(id)?.textContent ?? '')
      .join(' ');
    return { id: el.id, name: name.trim(), value: el.value ?? null, invalid: el.getAttribute('aria-invalid'), described: described.trim() };
  });

/** Presses Tab (Shift+Tab with `back`) until the focused element's name matches, as a keyboard-only person does. */
async function tabTo(page: Page, name: RegExp, back = false): Promise<Focused> {
  for (let i = 0; i < 120; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const now = await focused(page);
    if (name.test(now.name)) return now;
  }
  throw new Error(`focus never reached ${name}`);
}

const noSideScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

describe('Crear taller with challenges of one’s own', () => {
  const ctx = useServerAndBrowser();

  const workshopTitled = (title: string) =>
    ctx.server.app.sqlite.prepare('SELECT code FROM workshops WHERE title = ? ORDER BY created_at DESC').get(title) as { code: string };
  const challengesOf = async (code: string) => {
    const workshop = await api<{ boards: { id: string; number: number; title: string }[] }>(ctx.server.url, `/api/workshops/${code}`);
    return Promise.all(
      workshop.body.boards.map(async (b) => (await api<{ challenge: { id: string; number: number; title: string; context: string; questions: { id: string; text: string }[] } }>(ctx.server.url, `/api/boards/${b.id}`)).body.challenge)
    );
  };

  it('writes one, pastes a call for proposals, fixes the preview and creates the workshop, keyboard only', async () => {
    const page = await newPerson(ctx.browser);
    await page.goto(`${ctx.server.url}/crear`);
    await page.getByRole('heading', { name: 'Crear taller' }).waitFor();

    await tabTo(page, /^Nombre del taller$/);
    await page.keyboard.type('Taller Limarí');
    await tabTo(page, /^6\. Mejorar de manera innovadora el acceso/);
    await page.keyboard.press('Space');

    // Write a challenge: focus lands on its title, then through context and questions.
    await tabTo(page, /Escribir un desafío/);
    await page.keyboard.press('Enter');
    expect(await focused(page)).toMatchObject({ name: 'Título del desafío', value: '' });
    await page.keyboard.type('Agua para Río Hurtado');
    await page.keyboard.press('Tab');
    expect((await focused(page)).name).toBe('Contexto (opcional)');
    await page.keyboard.type('La comuna vive una sequía larga.');
    await page.keyboard.press('Tab');
    expect((await focused(page)).name).toBe('Pregunta 1');
    await page.keyboard.type(Q1);
    for (const q of [Q2, Q3]) {
      await tabTo(page, /Agregar pregunta/);
      await page.keyboard.press('Enter');
      expect(await focused(page)).toMatchObject({ name: `Pregunta ${q === Q2 ? 2 : 3}`, value: '' });
      await page.keyboard.type(q);
    }
    // Removing question 2 puts focus on the one that took its place.
    await tabTo(page, /^Quitar pregunta 2$/, true);
    await page.keyboard.press('Enter');
    expect(await focused(page)).toMatchObject({ name: 'Pregunta 2', value: Q3 });
    await page.getByRole('status').filter({ hasText: 'Quitamos la pregunta.' }).waitFor();

    // A blank challenge is refused in place: focus on its title, the error read with it.
    await tabTo(page, /Escribir un desafío/);
    await page.keyboard.press('Enter');
    await tabTo(page, /^Crear taller$/);
    await page.keyboard.press('Enter');
    expect(await focused(page)).toMatchObject({ name: 'Título del desafío', value: '', invalid: 'true', described: 'Escribe el título del desafío.' });
    await tabTo(page, /^Quitar desafío propio 2$/, true);
    await page.keyboard.press('Enter');
    expect(await focused(page)).toMatchObject({ name: 'Desafío propio 1' });

    // Paste a call for proposals: its three challenges come back as drafts to check.
    await tabTo(page, /^Pegar el texto de una convocatoria$/);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    expect((await focused(page)).name).toBe('Texto de la convocatoria');
    await page.keyboard.insertText(CALL_TEXT);
    await tabTo(page, /^Extraer desafíos$/);
    await page.keyboard.press('Enter');
    expect(await focused(page)).toMatchObject({ name: 'Desafío propio 2' });
    await page.getByRole('status').filter({ hasText: 'Encontramos 3 desafíos con 8 preguntas en total.' }).waitFor();
    await page.getByText('Este taller tendrá 5 de los 8 desafíos que admite.').waitFor();
    expect(await page.getByLabel('Título del desafío').nth(1).inputValue()).toBe(seed('desafio-2').sourceTitle);
    await page.getByText('Del texto pegado: desafío 2', { exact: true }).waitFor();

    // Fix the preview: a readable title, one question less, one challenge less.
    await tabTo(page, /^Dejar mayúscula solo al comienzo del título$/);
    await page.keyboard.press('Enter');
    expect(await focused(page)).toMatchObject({ name: 'Título del desafío', value: 'Generar condiciones que propicien el equilibrio multirol de la mujer' });
    await tabTo(page, /^Quitar pregunta 3$/);
    await page.keyboard.press('Enter');
    expect(await focused(page)).toMatchObject({ name: 'Pregunta 2', value: seed('desafio-2').questions[1]!.text });
    await tabTo(page, /^Quitar desafío propio 3$/);
    await page.keyboard.press('Enter');
    expect(await focused(page)).toMatchObject({ name: 'Desafío propio 3' });
    await page.getByText('Este taller tendrá 4 de los 8 desafíos que admite.').waitFor();

    await tabTo(page, /^Crear taller$/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Tu taller está listo' }).waitFor();
    expect((await focused(page)).name).toBe('Tu taller está listo');

    const { code } = workshopTitled('Taller Limarí');
    const made = await challengesOf(code);
    // The pasted ones keep their numbers in the call (2 and 4); the written one takes the first free.
    expect(made.map((c) => [c.number, c.title])).toEqual([
      [6, seed('desafio-6').title],
      [1, 'Agua para Río Hurtado'],
      [2, 'Generar condiciones que propicien el equilibrio multirol de la mujer'],
      [4, seed('desafio-4').sourceTitle]
    ]);
    expect(made[1]!.questions).toEqual([
      { id: `${made[1]!.id}-p1`, text: Q1 },
      { id: `${made[1]!.id}-p2`, text: Q3 }
    ]);
    expect(made[1]!.context).toBe('La comuna vive una sequía larga.');
    expect(made[2]!.questions.map((q) => q.text)).toEqual(seed('desafio-2').questions.slice(0, 2).map((q) => q.text));
    expect(made[2]!.context).toBe(seed('desafio-2').context.join('\n\n'));
    expect(made[3]!.questions.map((q) => q.text)).toEqual(seed('desafio-4').questions.map((q) => q.text));
    expect(made[3]!.context).toBe(seed('desafio-4').context.join('\n\n'));

    // The board of an own challenge reads like any other; the control room focuses its questions.
    await tabTo(page, /Generar condiciones que propicien/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Generar condiciones que propicien el equilibrio multirol de la mujer' }).waitFor();
    await page.getByText(seed('desafio-2').questions[1]!.text).first().waitFor();
    await page.goto(`${ctx.server.url}/taller/${code}/control`);
    await page.getByText('En vivo', { exact: true }).waitFor();
    const boardId = (await api<{ boards: { id: string }[] }>(ctx.server.url, `/api/workshops/${code}`)).body.boards[1]!.id;
    const card = page.getByRole('listitem').filter({ has: page.getByText('Agua para Río Hurtado', { exact: true }) });
    await card.getByRole('combobox', { name: 'Pregunta en foco' }).selectOption({ label: `2. ${Q3}` });
    await expect.poll(() => ctx.server.app.sessions.get(boardId).focusQuestionId).toBe(made[1]!.questions[1]!.id);
  });

  it('works on a 360 px phone and copies an earlier workshop’s challenge into a new one', async () => {
    const page = await newPerson(ctx.browser, { width: 360, height: 740 });
    await page.goto(`${ctx.server.url}/crear`);
    await page.getByRole('heading', { name: 'Crear taller' }).waitFor();
    await tabTo(page, /^Nombre del taller$/);
    await page.keyboard.type('Taller Los Vilos');
    await tabTo(page, /Escribir un desafío/);
    await page.keyboard.press('Enter');
    await page.keyboard.type('Borde costero de Los Vilos');
    await tabTo(page, /^Pregunta 1$/);
    await page.keyboard.type('¿Cómo recuperamos la caleta?');
    await tabTo(page, /^Pegar el texto de una convocatoria$/);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    await page.keyboard.insertText(CALL_TEXT);
    await tabTo(page, /^Extraer desafíos$/);
    await page.keyboard.press('Enter');
    await page.getByText('Este taller tendrá 4 de los 8 desafíos que admite.').waitFor();
    expect(await noSideScroll(page)).toBe(true);
    await tabTo(page, /^Crear taller$/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Tu taller está listo' }).waitFor();
    expect(await noSideScroll(page)).toBe(true);
    const first = (await challengesOf(workshopTitled('Taller Los Vilos').code))[0]!;

    // This browser facilitates that workshop: its challenges are offered for the next one.
    await page.goto(`${ctx.server.url}/crear`);
    await page.getByRole('heading', { name: 'Crear taller' }).waitFor();
    await tabTo(page, /^Nombre del taller$/);
    await page.keyboard.type('Taller Los Vilos, segunda jornada');
    await tabTo(page, /^Copiar desafíos de un taller anterior$/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: /^Taller Los Vilos · / }).waitFor();
    expect(await noSideScroll(page)).toBe(true);
    await tabTo(page, /^Copiar «Borde costero de Los Vilos»$/);
    await page.keyboard.press('Enter');
    expect(await focused(page)).toMatchObject({ name: 'Desafío propio 1' });
    await page.getByRole('status').filter({ hasText: 'Copiamos «Borde costero de Los Vilos»' }).waitFor();
    expect(await page.getByLabel('Pregunta 1').inputValue()).toBe('¿Cómo recuperamos la caleta?');
    await tabTo(page, /^Crear taller$/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Tu taller está listo' }).waitFor();

    const [copy] = await challengesOf(workshopTitled('Taller Los Vilos, segunda jornada').code);
    expect(copy!.id).not.toBe(first.id);
    expect({ ...copy!, id: '', questions: copy!.questions.map((q) => q.text) }).toEqual({ ...first, id: '', questions: first.questions.map((q) => q.text) });
  });
});
