import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startServer, type TestServer } from './server.ts';

export const WEB_ROOT = join(import.meta.dirname, '../../web/build');

/** Debian's Chromium, headless, with the flags this machine's closed network needs. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(join(WEB_ROOT, 'index.html'))) {
    throw new Error('web/build is missing: run `npm test` (its pretest builds the web app) or `npm run build`');
  }
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run'
    ]
  });
}

/** A fresh browser context (its own localStorage: one person) with a page of the given size. */
export async function newPerson(browser: Browser, viewport = { width: 1366, height: 900 }, locale = 'es-CL'): Promise<Page> {
  const context = await browser.newContext({ viewport, locale, hasTouch: viewport.width < 500 });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return page;
}

/** Joins a workshop through its join link, as a participant does on a phone. */
export async function joinThroughLink(page: Page, joinUrl: string, who: { name: string; sector: string; comuna: string }) {
  await page.goto(joinUrl);
  await page.getByLabel('Nombre').fill(who.name);
  await page.getByLabel('Sector').selectOption(who.sector);
  await page.getByLabel('Comuna').selectOption(who.comuna);
  await page.getByRole('button', { name: /unirme|entrar/i }).click();
}

/** Opens the actions menu of the idea card showing `text` (the board has one shared menu) and returns it. */
export async function ideaActions(page: Page, text: string) {
  const card = page.locator('[data-idea-card]', { hasText: text });
  await card.getByRole('button', { name: /^Acciones de la idea/ }).click();
  const menu = page.getByRole('menu');
  await menu.waitFor();
  return menu;
}

/** Presses Tab until the focused element matches, like a keyboard-only person would. */
export async function tabUntil(page: Page, isTarget: () => boolean, maxPresses = 60): Promise<void> {
  for (let i = 0; i < maxPresses; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(isTarget)) return;
  }
  throw new Error(`focus never reached the target after ${maxPresses} Tab presses`);
}

/**
 * The real server (serving web/build) and Chromium for one describe block, started before its
 * tests and closed after them. Read `.server` and `.browser` inside tests.
 */
export function useServerAndBrowser(): { server: TestServer; browser: Browser } {
  const ctx = {} as { server: TestServer; browser: Browser };
  beforeAll(async () => {
    ctx.server = await startServer({ MINGA_WEB_ROOT: WEB_ROOT });
    ctx.browser = await launchBrowser();
  });
  afterAll(async () => {
    await ctx.browser?.close();
    await ctx.server?.close();
  });
  return ctx;
}
