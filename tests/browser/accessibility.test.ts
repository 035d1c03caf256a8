import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { connectBoard, connectControl, createCluster, createWorkshop, join, postIdea } from '../helpers/clients.ts';
import { useServerAndBrowser } from '../helpers/browser.ts';

/**
 * axe-core (the npm package, injected into the page) on every page in its interactive states:
 * menus and panels open, each session phase, the facilitator's view with hidden ideas, the control
 * room and the projector; Spanish and English, desktop and a 360 px phone. Prints one line per
 * page and state, then expects 0 violations everywhere.
 */
const AXE_SOURCE: string = (createRequire(import.meta.url)('axe-core') as { source: string }).source;
const Q1 = 'desafio-6-p1';

type Combo = { lang: 'es' | 'en'; viewport: { width: number; height: number } };
const COMBOS: Combo[] = [
  { lang: 'es', viewport: { width: 1366, height: 900 } },
  { lang: 'en', viewport: { width: 360, height: 780 } },
  { lang: 'en', viewport: { width: 1366, height: 900 } },
  { lang: 'es', viewport: { width: 360, height: 780 } }
];

interface Finding {
  id: string;
  impact: string | null;
  nodes: { target: string[]; summary: string }[];
}

/** Runs axe on the page as it is now (experimental label-content-name-mismatch included). */
async function scan(page: Page): Promise<Finding[]> {
  await settled(page);
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: { id: string; impact: string | null; nodes: { target: string[]; failureSummary?: string }[] }[] }> } }).axe;
    const res = await axe.run(document, { rules: { 'label-content-name-mismatch': { enabled: true } }, resultTypes: ['violations'] });
    return res.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => ({ target: n.target, summary: n.failureSummary ?? '' })) }));
  });
}

/**
 * Waits until the page is still: fonts loaded, every finite animation and transition finished
 * (a panel sliding in, a toast fading in: mid-way their colours fail contrast), two frames drawn.
 * No fixed waits, so the scan does not depend on the machine's speed.
 */
async function settled(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await document.fonts.ready;
    const finite = () => document.getAnimations().filter((a) => a.effect?.getComputedTiming().iterations !== Infinity && a.playState !== 'finished');
    for (let round = 0; round < 5 && finite().length > 0; round++) await Promise.all(finite().map((a) => a.finished.catch(() => undefined)));
    await new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done())));
  });
}

async function person(browser: Browser, combo: Combo): Promise<Page> {
  const context = await browser.newContext({ viewport: combo.viewport, locale: combo.lang === 'es' ? 'es-CL' : 'en', hasTouch: combo.viewport.width < 500 });
  await context.addInitScript((lang) => localStorage.setItem('minga:lang', lang), combo.lang);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return page;
}

describe('accessibility (axe-core) in Chromium', () => {
  const ctx = useServerAndBrowser();

  it('finds no violations on any page, in any state, language or size', async () => {
    const results: { where: string; findings: Finding[] }[] = [];
    const check = async (page: Page, combo: Combo, state: string) => {
      results.push({ where: `${combo.lang} ${combo.viewport.width}px  ${state}`, findings: await scan(page) });
    };

    for (const [n, combo] of COMBOS.entries()) {
      const full = n < 2; // every state in es desktop and en phone; the pages and main states in the other two
      const ws = await createWorkshop(ctx.server.url, ['desafio-6']);
      const boardId = ws.boards[0]!.id;
      const board = `${ctx.server.url}/tablero/${boardId}`;
      const es = combo.lang === 'es';

      // Someone else on the board, through the API: ideas, a group, one idea the facilitator hides.
      const ana = await join(ctx.server.url, ws.code, { name: 'Ana Pérez' });
      const client = connectBoard(ctx.server.wsUrl, boardId, ana.token);
      await client.synced;
      const who = { id: ana.participantId, name: 'Ana Pérez', sector: 'comunidad' };

      const page = await person(ctx.browser, combo);
      await page.goto(ctx.server.url);
      await page.locator('h1').first().waitFor();
      await check(page, combo, 'home');
      if (full) {
        await page.goto(`${ctx.server.url}/crear`);
        await page.locator('h1').first().waitFor();
        await check(page, combo, 'crear');
      }
      await page.goto(`${ctx.server.url}/taller/${ws.code}`);
      await page.locator('form').first().waitFor();
      await check(page, combo, 'join');

      const beto = await join(ctx.server.url, ws.code, { name: 'Beto 🌱 Rojas' });
      await page.evaluate(({ key, entry }) => localStorage.setItem(key, entry), { key: `minga:part:${ws.code}`, entry: JSON.stringify(beto) });
      await page.goto(board);
      const newIdea = page.getByLabel(es ? 'Nueva idea' : 'New idea').first();
      await newIdea.waitFor();
      await check(page, combo, 'board, fresh');

      const cluster = createCluster(client.doc, { title: 'Huertos', questionId: Q1 });
      postIdea(client.doc, who, { text: 'Huertos comunitarios con riego por goteo', questionId: Q1, clusterId: cluster });
      postIdea(client.doc, who, { text: 'Ferias libres con productores locales', questionId: Q1 });
      const hidden = postIdea(client.doc, who, { text: 'Una idea fuera de lugar', questionId: Q1 });
      await page.getByText('Ferias libres con productores locales', { exact: true }).waitFor();
      await check(page, combo, 'board, with ideas');

      // The list view (issue 11): the same board as headings and lists, and its actions menu.
      const listToggle = page.getByRole('button', { name: es ? 'Vista de lista' : 'List view' });
      const listRegion = page.getByRole('region', { name: es ? 'El tablero como lista: preguntas, grupos e ideas' : 'The board as a list: questions, groups and ideas' });
      await listToggle.click();
      await listRegion.getByText('Huertos comunitarios con riego por goteo', { exact: true }).waitFor();
      await listRegion.getByRole('heading', { level: 3, name: 'Huertos' }).waitFor();
      await check(page, combo, 'list view');
      if (full) {
        await listRegion.getByRole('listitem').filter({ hasText: 'Ferias libres' }).getByRole('button', { name: es ? /^Acciones de la idea/ : /^Actions for the idea/ }).click();
        await page.getByRole('menu').waitFor();
        await check(page, combo, 'list view, actions menu open');
        await page.keyboard.press('Escape');
        await page.getByRole('menu').waitFor({ state: 'hidden' });
        await listRegion.getByRole('listitem').filter({ hasText: 'Ferias libres' }).getByRole('button', { name: es ? /^Dar un voto a/ : /^Give a vote to/ }).click();
        await listRegion.getByRole('listitem').filter({ hasText: 'Ferias libres' }).getByText(es ? /^1 voto/ : /^1 vote/).waitFor();
        await check(page, combo, 'list view, after a vote (support in words)');
      }
      await page.getByRole('button', { name: es ? 'Vista de tablero' : 'Board view' }).click();
      await page.locator('.lanes').waitFor();

      const card = page.locator('[data-idea-card]', { hasText: 'Ferias libres' });
      await card.getByRole('button', { name: es ? /^Acciones de la idea/ : /^Actions for the idea/ }).click();
      await page.getByRole('menu').waitFor();
      await check(page, combo, 'board, actions menu open');
      await page.keyboard.press('Escape');
      await page.getByRole('menu').waitFor({ state: 'hidden' });

      const draftToggle = page.getByRole('button', { name: es ? /^Borrador( de propuesta)?$/ : /^(Proposal )?draft$/i });
      if (full) {
        await page.getByRole('button', { name: es ? /^Llevar el grupo/ : /^Bring the group/ }).click();
        await page.getByRole('menu').waitFor();
        await check(page, combo, 'board, "to the draft" menu open');
        await page.keyboard.press('Escape');
        await draftToggle.click();
        await page.locator('#draft-panel').waitFor();
        await check(page, combo, 'board, draft panel open (dialog)');
        await page.keyboard.press('Escape');
        await page.locator('#draft-panel').waitFor({ state: 'hidden' });
      }

      // The facilitator: hidden idea, people panel, control room, session dialog, projector.
      const fac = await person(ctx.browser, combo);
      await fac.goto(`${ctx.server.url}/taller/${ws.code}/facilitar#${ws.facilitatorToken}`);
      await fac.getByRole('heading', { name: 'Taller de prueba' }).waitFor();
      const control = await connectControl(ctx.server.url, ws.facilitatorToken);
      const command = async (body: Record<string, unknown>) => expect((await control.emitWithAck('session:command', { boardId, ...body } as never)).ok).toBe(true);
      await command({ action: 'hide', ideaId: hidden, hidden: true });
      await fac.goto(board);
      await fac.getByText('Una idea fuera de lugar', { exact: true }).waitFor();
      await check(fac, combo, 'facilitator board, hidden idea');
      if (full) {
        await fac.locator('button[aria-controls="people-panel"]').click();
        await fac.locator('#people-panel').waitFor();
        await check(fac, combo, 'facilitator board, people panel open');
      }
      await fac.goto(`${ctx.server.url}/taller/${ws.code}/control`);
      await fac.locator('h1').first().waitFor();
      await fac.getByText(es ? 'Iniciar sesión…' : 'Start session…').first().waitFor();
      await check(fac, combo, 'control room');
      if (full) {
        await fac.getByRole('button', { name: es ? 'Iniciar sesión…' : 'Start session…' }).first().click();
        await fac.getByRole('spinbutton').first().waitFor();
        await check(fac, combo, 'control room, start session dialog');
        await fac.keyboard.press('Escape');
      }
      await fac.goto(`${board}/proyector`);
      await fac.getByText('Ferias libres con productores locales', { exact: true }).waitFor();
      await check(fac, combo, 'projector');
      if (full) {
        await fac.goto(`${board}?vista=lista`);
        await fac.getByRole('region', { name: es ? 'El tablero como lista: preguntas, grupos e ideas' : 'The board as a list: questions, groups and ideas' }).getByText('Una idea fuera de lugar', { exact: true }).waitFor();
        await check(fac, combo, 'facilitator list view, hidden idea');
        await fac.getByRole('button', { name: es ? 'Vista de tablero' : 'Board view' }).click();
        await fac.locator('.lanes').waitFor();
      }
      await fac.goto(`${ctx.server.url}/taller/${ws.code}/resultados`);
      await fac.getByRole('heading', { level: 1, name: es ? 'Resultados del taller' : 'Workshop results' }).waitFor();
      await fac.getByRole('article', { name: /Desaf[íi]o 6|Challenge 6/ }).waitFor();
      await check(fac, combo, 'workshop results (facilitator)');

      // Each phase of a session, on the participant's board.
      if (full) {
        await command({ action: 'start' });
        const phases = es ? ['Ideación', 'Agrupación', 'Votación', 'Discusión', 'Cierre'] : ['Ideation', 'Clustering', 'Voting', 'Discussion', 'Closed'];
        for (const [i, phase] of phases.entries()) {
          if (i > 0) await command({ action: 'next' });
          await page.locator('#phase-heading', { hasText: phase }).waitFor();
          await check(page, combo, `board, phase ${phase}`);
        }
        await command({ action: 'lock' });
        await draftToggle.click();
        await page.locator('#draft-panel').waitFor();
        await check(page, combo, 'board, locked: read-only draft panel');
      }
      control.close();
      client.destroy();
      await page.context().close();
      await fac.context().close();
    }

    const lines = results.map(({ where, findings }) => {
      const count = findings.reduce((sum, f) => sum + f.nodes.length, 0);
      return `${where.padEnd(60)} ${count === 0 ? '0' : `${count}: ${findings.map((f) => `${f.id} ×${f.nodes.length}`).join(', ')}`}`;
    });
    process.stdout.write(`axe-core ${(createRequire(import.meta.url)('axe-core/package.json') as { version: string }).version}: violations (nodes) per page and state\n${lines.join('\n')}\n`);
    const failing = results.filter((r) => r.findings.length > 0);
    if (failing.length) process.stdout.write(`${JSON.stringify(failing, null, 1)}\n`);
    expect(failing.map((r) => r.where)).toEqual([]);
  }, 240_000);
});
