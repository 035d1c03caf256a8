/**
 * Big boards in the browser (issue 10): what a person feels on a board of 300 and of 2,000 ideas
 * (Desafío 8, six questions, 60 groups, dots by 20 people of six sectors) while 20 remote changes a
 * second arrive from other people's y-websocket clients (new ideas, edits, moves, dots).
 *
 * Debian Chromium through playwright-core, two profiles: `desktop` (1366×768) and `phone` (390×844,
 * touch, CDP `Emulation.setCPUThrottlingRate` ×4: a mid-range phone). Each round opens the board in
 * a new browser context as a participant who joined earlier and records, from the page's own clock:
 * - first render: navigation start → every idea card (`[data-idea-card]`) is in the DOM (both
 *   versions draw every card: the current one in slices per frame, nothing virtualised);
 * - keystroke to paint in question 1's "Nueva idea": per key, from the keydown's timestamp to the
 *   task after the next animation frame (rAF + setTimeout 0, i.e. once that frame was painted), and
 *   how many keys the Event Timing API saw over 16 ms and 50 ms (`PerformanceEventTiming`);
 * - scroll frames: the page scrolled by mouse-wheel steps, the intervals between animation frames
 *   (the headless display runs at 60 Hz, so a frame that misses nothing is 16.7 ms);
 * - JS heap after a forced GC (CDP `Performance.getMetrics` JSHeapUsedSize) and DOM elements.
 * Remote changes run during typing and scrolling, not during the first render.
 *
 * `--baseline DIR` measures an earlier checkout (with its own `web/build`) in the same run; rounds
 * interleave before and after so both share the machine's load. The figures are medians over the
 * rounds of each round's p50/p95. Results: bench/results/browser-board.json; with `--screenshots`
 * also docs/screenshots/tablero-2000*.png (1280×800 and 360×740, normal and compact) and
 * proyector-desafio8-*.png from the current code.
 *
 *   npm run bench:browser -- --baseline /tmp/minga-before10 --rounds 3 --screenshots
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { connectControl } from '../tests/helpers/clients.ts';
import { launchBrowser } from '../tests/helpers/browser.ts';
import { RemoteUpdates, seedBigBoard, type BigBoard } from './browser/big-board.ts';
import { Histogram } from './lib/histogram.ts';
import { codeVersion, machineInfo } from './lib/run-info.ts';
import { startCheckout, type CheckoutServer } from './servers/checkout.ts';
import { ROOT } from './servers/process.ts';

const print = (line: string) => process.stdout.write(line + '\n');
const log = (line: string) => process.stderr.write(line + '\n');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const PROFILES = {
  desktop: { viewport: { width: 1366, height: 768 }, hasTouch: false, cpuThrottle: 1 },
  phone: { viewport: { width: 390, height: 844 }, hasTouch: true, cpuThrottle: 4 }
} as const;
type ProfileName = keyof typeof PROFILES;

const WRITERS = 20;
const VOTES_PER_WRITER = 10;
const TYPED = 'Huertos comunitarios en la escuela de Vicuña';
const KEY_GAP_MS = 60;
const WHEEL_STEPS = 40;
const WHEEL_PX = 120;
const WHEEL_GAP_MS = 40;
const RENDER_TIMEOUT_MS = 180_000;
/** Typing or scrolling stops after this long (a page that cannot keep up gets fewer keys, and says so). */
const PHASE_BUDGET_MS = 20_000;
/** Server limits raised so seeding 2,000 ideas is not throttled; the same for both versions. */
const SERVER_ENV = { MESSAGES_PER_SECOND: '100000', MESSAGE_BURST: '100000', IP_MESSAGES_PER_SECOND: '1000000', IP_MESSAGE_BURST: '1000000', VOTE_BUDGET: String(VOTES_PER_WRITER + 5), JOINS_PER_MINUTE: '10000', API_REQUESTS_PER_MINUTE: '100000', WORKSHOP_CREATIONS_PER_MINUTE: '1000' };

const { values: args } = parseArgs({
  options: {
    baseline: { type: 'string' },
    rounds: { type: 'string', default: '3' },
    updates: { type: 'string', default: '20' },
    sizes: { type: 'string', default: '300,2000' },
    profiles: { type: 'string', default: 'desktop,phone' },
    screenshots: { type: 'boolean', default: false },
    out: { type: 'string', default: join(ROOT, 'bench/results/browser-board.json') },
    help: { type: 'boolean', default: false }
  }
});
if (args.help) {
  print('npm run bench:browser -- [--baseline DIR] [--rounds N] [--updates 20] [--sizes 300,2000] [--profiles desktop,phone] [--screenshots] [--out FILE]');
  process.exit(0);
}
const rounds = Number(args.rounds);
const UPDATES_PER_SECOND = Number(args.updates);
const sizes = args.sizes!.split(',').map(Number);
const profiles = args.profiles!.split(',').map((p) => {
  if (!(p in PROFILES)) throw new Error(`unknown profile ${p}: one of ${Object.keys(PROFILES).join(', ')}`);
  return p as ProfileName;
});

interface Variant {
  name: string;
  dir: string;
  running?: CheckoutServer;
  boards: Map<number, { board: BigBoard; updates: RemoteUpdates }>;
}
const variants: Variant[] = [
  ...(args.baseline ? [{ name: 'before', dir: args.baseline, boards: new Map() }] : []),
  { name: args.baseline ? 'after' : 'current', dir: ROOT, boards: new Map() }
];

interface Round {
  firstRenderMs: number;
  /** Set when the page stopped answering during the round (then its other figures are NaN). */
  noAnswer?: string;
  keys: { typed: number; typingMs: number; count: number; p50: number; p95: number; max: number; eventTiming: { count: number; p50: number; p95: number; max: number }; eventTimingOver50: number };
  frames: { count: number; p50: number; p95: number; max: number; longShare: number; scrolledPx: number };
  heapMb: number;
  /** The machine's 1-minute load average when the round ended (other work on it shows here). */
  loadAverage: number;
  domElements: number;
  remote: RemoteUpdates['counts'];
}

/** Page-side instruments. A string, not a function: tsx wraps named functions in a helper the page does not have. */
const instruments = (expectedIdeas: number) => `(() => {
  const m = (window.__bench = { keys: [], events: [], frames: [], recording: false, framing: false });
  document.addEventListener('keydown', (e) => {
    if (!m.recording) return;
    const t0 = e.timeStamp;
    requestAnimationFrame(() => setTimeout(() => m.keys.push(performance.now() - t0), 0));
  }, true);
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (m.recording && e.interactionId && e.name === 'keydown') m.events.push(e.duration);
    }).observe({ type: 'event', durationThreshold: 16 });
  } catch {}
  m.startFrames = () => {
    m.frames = []; m.framing = true;
    let last = null;
    const f = (t) => { if (last !== null) m.frames.push(t - last); last = t; if (m.framing) requestAnimationFrame(f); };
    requestAnimationFrame(f);
  };
  const check = () => {
    if (document.querySelectorAll('[data-idea-card]').length >= ${expectedIdeas}) m.board = performance.now();
    else requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
})();`;

const percentiles = (xs: number[]) => {
  const h = new Histogram();
  for (const x of xs) h.record(x);
  return { count: xs.length, p50: h.percentile(0.5), p95: h.percentile(0.95), max: h.max };
};
/** Median of the rounds that answered (NaN when none did). */
const median = (all: number[]) => {
  const xs = all.filter((x) => !Number.isNaN(x));
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function poll(page: Page, expr: string, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await guard(page.evaluate(expr), what, timeoutMs))) {
    if (Date.now() > deadline) throw new Error(`${what} not reached after ${timeoutMs} ms`);
    await sleep(100);
  }
}

async function openBoard(browser: Browser, running: CheckoutServer, board: BigBoard, profile: ProfileName, viewport?: { width: number; height: number }) {
  const p = PROFILES[profile];
  const context = await browser.newContext({ viewport: viewport ?? p.viewport, locale: 'es-CL', hasTouch: viewport ? viewport.width < 500 : p.hasTouch });
  await context.addInitScript({ content: `localStorage.setItem(${JSON.stringify(`minga:part:${board.code}`)}, ${JSON.stringify(JSON.stringify(board.viewer))});` });
  await context.addInitScript({ content: instruments(board.ideas) });
  const page = await context.newPage();
  page.setDefaultTimeout(RENDER_TIMEOUT_MS);
  const cdp: CDPSession = await context.newCDPSession(page);
  if (p.cpuThrottle > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: p.cpuThrottle });
  await page.goto(`${running.httpUrl}/tablero/${board.boardId}`, { waitUntil: 'commit' });
  await poll(page, 'window.__bench?.board !== undefined', RENDER_TIMEOUT_MS, 'every idea card in the DOM');
  const firstRenderMs = (await page.evaluate('window.__bench.board')) as number;
  return { context, page, cdp, firstRenderMs };
}

/** A page that stops answering (its main thread never free) ends the round instead of the run. */
class NoAnswer extends Error {}
function guard<T>(p: Promise<T>, what: string, ms = PHASE_BUDGET_MS + 30_000): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new NoAnswer(`${what}: the page did not answer in ${ms / 1000} s`)), ms)))
  ]);
}

const NO_ANSWER = { count: 0, p50: NaN, p95: NaN, max: NaN };

async function measureRound(browser: Browser, variant: Variant, size: number, profile: ProfileName): Promise<Round> {
  const { board, updates } = variant.boards.get(size)!;
  const { context, page, cdp, firstRenderMs } = await openBoard(browser, variant.running!, board, profile);
  try {
    await sleep(1000);
    const before = { ...updates.counts };
    if (UPDATES_PER_SECOND > 0) await updates.start();
    await sleep(1000);

    // Typing in question 1's "Nueva idea", one key at a time as a person types.
    await guard(page.evaluate(`document.getElementById(${JSON.stringify(`new-${board.questions[0]!.id}`)}).focus()`), 'focus');
    await guard(page.evaluate('window.__bench.recording = true'), 'evaluate');
    const typingStart = performance.now();
    let typed = 0;
    for (const ch of TYPED) {
      await guard(page.keyboard.type(ch), 'typing');
      typed++;
      if (performance.now() - typingStart > PHASE_BUDGET_MS) break;
      await sleep(KEY_GAP_MS);
    }
    const typingMs = performance.now() - typingStart;
    await sleep(500);
    await guard(page.evaluate('window.__bench.recording = false'), 'evaluate');
    const keys = (await guard(page.evaluate('window.__bench.keys'), 'evaluate')) as number[];
    const events = (await guard(page.evaluate('window.__bench.events'), 'evaluate')) as number[];
    await guard(page.evaluate(`document.activeElement?.blur()`), 'evaluate');

    // Scrolling the page with the mouse wheel over the lanes.
    const { width, height } = PROFILES[profile].viewport;
    await guard(page.mouse.move(width / 2, height / 2), 'mouse');
    const y0 = (await guard(page.evaluate('scrollY'), 'evaluate')) as number;
    await guard(page.evaluate('window.__bench.startFrames()'), 'evaluate');
    const scrollStart = performance.now();
    for (let i = 0; i < WHEEL_STEPS && performance.now() - scrollStart < PHASE_BUDGET_MS; i++) {
      await guard(page.mouse.wheel(0, WHEEL_PX), 'scrolling');
      await sleep(WHEEL_GAP_MS);
    }
    await sleep(300);
    await guard(page.evaluate('window.__bench.framing = false'), 'evaluate');
    const frames = (await guard(page.evaluate('window.__bench.frames'), 'evaluate')) as number[];
    const scrolledPx = ((await guard(page.evaluate('scrollY'), 'evaluate')) as number) - y0;
    updates.stop();

    await cdp.send('Performance.enable');
    await guard(cdp.send('HeapProfiler.collectGarbage'), 'gc');
    const metrics = (await cdp.send('Performance.getMetrics')).metrics;
    const heap = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
    const domElements = (await guard(page.evaluate('document.querySelectorAll("*").length'), 'evaluate')) as number;
    const remote = Object.fromEntries(Object.entries(updates.counts).map(([k, v]) => [k, v - before[k as keyof typeof before]])) as Round['remote'];
    const interval = 1000 / 60;
    return {
      firstRenderMs,
      keys: { ...percentiles(keys), typed, typingMs, eventTiming: percentiles(events), eventTimingOver50: events.filter((d) => d > 50).length },
      frames: { ...percentiles(frames), longShare: frames.filter((f) => f > interval * 1.5).length / Math.max(1, frames.length), scrolledPx },
      loadAverage: loadavg()[0]!,
      heapMb: heap / 1048576,
      domElements,
      remote
    };
  } catch (err) {
    if (!(err instanceof NoAnswer)) throw err;
    log(`  ${variant.name} ${size} ${profile}: ${err.message}`);
    return {
      firstRenderMs,
      noAnswer: err.message,
      keys: { ...NO_ANSWER, typed: NaN, typingMs: NaN, eventTiming: NO_ANSWER, eventTimingOver50: NaN },
      frames: { ...NO_ANSWER, longShare: NaN, scrolledPx: NaN },
      loadAverage: loadavg()[0]!,
      heapMb: NaN,
      domElements: NaN,
      remote: updates.counts
    };
  } finally {
    updates.stop();
    await context.close().catch(() => {});
  }
}

async function screenshots(browser: Browser, variant: Variant) {
  const dir = join(ROOT, 'docs/screenshots');
  mkdirSync(dir, { recursive: true });
  const big = variant.boards.get(Math.max(...sizes))!.board;
  const running = variant.running!;
  const shots: string[] = [];
  // The board and its "Vista compacta" on a laptop and on a small phone.
  for (const [viewport, suffix] of [
    [{ width: 1280, height: 800 }, ''],
    [{ width: 360, height: 740 }, '-telefono']
  ] as const) {
    const { context, page } = await openBoard(browser, running, big, 'desktop', viewport);
    page.setDefaultTimeout(60_000);
    // Down to the first lane's groups (the page starts with the challenge's header), under the sticky toolbar.
    const toCards = `(() => { const g = document.querySelector('.lanes .cluster'); if (g) scrollTo(0, g.getBoundingClientRect().top + scrollY - 140); })()`;
    await sleep(1500);
    await page.evaluate(toCards);
    await sleep(1000);
    await page.screenshot({ path: join(dir, `tablero-${big.ideas}${suffix}.png`) });
    await page.getByRole('button', { name: 'Vista compacta' }).click();
    await sleep(500);
    await page.evaluate(toCards);
    await sleep(1000);
    await page.screenshot({ path: join(dir, `tablero-${big.ideas}-compacto${suffix}.png`) });
    shots.push(`tablero-${big.ideas}${suffix}.png`, `tablero-${big.ideas}-compacto${suffix}.png`);
    await context.close();
  }
  const control = await connectControl(running.httpUrl, big.facilitatorToken);
  try {
    for (const [viewport, focus] of [
      [{ width: 1920, height: 1080 }, 1],
      [{ width: 1280, height: 720 }, 5]
    ] as const) {
      const context = await browser.newContext({ viewport, locale: 'es-CL' });
      const page = await context.newPage();
      page.setDefaultTimeout(60_000);
      await page.goto(`${running.httpUrl}/taller/${big.code}/facilitar#${big.facilitatorToken}`);
      await page.getByRole('heading', { name: 'Taller de prueba' }).waitFor();
      const ack = (await control.emitWithAck('session:command', { boardId: big.boardId, action: 'focus', questionId: big.questions[focus]!.id } as never)) as { ok: boolean };
      if (!ack.ok) throw new Error(`focus: ${JSON.stringify(ack)}`);
      await page.goto(`${running.httpUrl}/tablero/${big.boardId}/proyector`);
      await page.getByRole('heading', { name: big.questions[focus]!.text }).waitFor();
      await sleep(2500);
      const name = `proyector-desafio8-${viewport.width}.png`;
      await page.screenshot({ path: join(dir, name) });
      shots.push(name);
      await context.close();
    }
  } finally {
    control.close();
  }
  return shots;
}

process.setMaxListeners(100); // one exit listener per y-websocket client
const browser = await launchBrowser();
const results: { variant: string; size: number; profile: ProfileName; rounds: Round[] }[] = [];
let shots: string[] = [];
try {
  for (const v of variants) {
    log(`${v.name}: ${v.dir}`);
    v.running = await startCheckout(v.dir, SERVER_ENV);
    for (const size of sizes) {
      const t = performance.now();
      const board = await seedBigBoard(v.running.httpUrl, v.running.wsUrl, { ideas: size, writers: WRITERS, votesPerWriter: VOTES_PER_WRITER, seed: size });
      log(`  seeded ${size} ideas, ${board.groups.length} groups, ${board.votes} dots in ${Math.round(performance.now() - t)} ms`);
      v.boards.set(size, { board, updates: new RemoteUpdates(board, v.running.httpUrl, UPDATES_PER_SECOND, size + 1) });
    }
  }
  if (args.screenshots) {
    try {
      shots = await screenshots(browser, variants.at(-1)!);
      log(`  screenshots: ${shots.join(', ')}`);
    } catch (err) {
      log(`  screenshots failed: ${(err as Error).message}`);
    }
  }
  for (let r = 0; r < rounds; r++) {
    for (const size of sizes) {
      for (const profile of profiles) {
        for (const v of variants) {
          const round = await measureRound(browser, v, size, profile);
          let entry = results.find((x) => x.variant === v.name && x.size === size && x.profile === profile);
          if (!entry) results.push((entry = { variant: v.name, size, profile, rounds: [] }));
          entry.rounds.push(round);
          log(
            `  round ${r + 1} ${v.name} ${size} ${profile}: render ${Math.round(round.firstRenderMs)} ms, key p50/p95 ${round.keys.p50.toFixed(1)}/${round.keys.p95.toFixed(1)} ms, ` +
              `frame p50/p95 ${round.frames.p50.toFixed(1)}/${round.frames.p95.toFixed(1)} ms (${round.frames.scrolledPx} px), heap ${round.heapMb.toFixed(1)} MB, ${round.domElements} elements`
          );
        }
      }
    }
  }
} finally {
  await browser.close();
  for (const v of variants) {
    for (const { board, updates } of v.boards.values()) {
      updates.close();
      board.close();
    }
    await v.running?.stop();
  }
}

const summary = results.map((e) => ({
  variant: e.variant,
  size: e.size,
  profile: e.profile,
  firstRenderMs: median(e.rounds.map((r) => r.firstRenderMs)),
  typingSeconds: median(e.rounds.map((r) => r.keys.typingMs / 1000)),
  keyP50: median(e.rounds.map((r) => r.keys.p50)),
  keyP95: median(e.rounds.map((r) => r.keys.p95)),
  keysOver50EventTiming: median(e.rounds.map((r) => r.keys.eventTimingOver50)),
  frameP50: median(e.rounds.map((r) => r.frames.p50)),
  frameP95: median(e.rounds.map((r) => r.frames.p95)),
  longFramePct: 100 * median(e.rounds.map((r) => r.frames.longShare)),
  eventTimingKeyP95: median(e.rounds.map((r) => r.keys.eventTiming.p95)),
  loadAverage: median(e.rounds.map((r) => r.loadAverage)),
  heapMb: median(e.rounds.map((r) => r.heapMb)),
  domElements: median(e.rounds.map((r) => r.domElements)),
  noAnswerRounds: e.rounds.filter((r) => r.noAnswer).length
}));

type Row = (typeof summary)[number];
const METRICS: [keyof Row, string, (n: number) => string][] = [
  ['firstRenderMs', 'first full render, ms', (n) => n.toFixed(0)],
  ['typingSeconds', `seconds to type ${TYPED.length} keys (${KEY_GAP_MS} ms apart)`, (n) => n.toFixed(1)],
  ['keyP50', 'keystroke→paint p50, ms', (n) => n.toFixed(1)],
  ['keyP95', 'keystroke→paint p95, ms', (n) => n.toFixed(1)],
  ['frameP50', 'scroll frame p50, ms', (n) => n.toFixed(1)],
  ['frameP95', 'scroll frame p95, ms', (n) => n.toFixed(1)],
  ['longFramePct', 'scroll frames > 25 ms, %', (n) => n.toFixed(0)],
  ['heapMb', 'JS heap after GC, MB', (n) => n.toFixed(1)],
  ['domElements', 'DOM elements', (n) => n.toFixed(0)],
  ['loadAverage', 'machine load average (1 min)', (n) => n.toFixed(1)]
];
if (results.length === 0) process.exit(0); // --rounds 0: screenshots only
print(`\nBig boards in Chromium, ${UPDATES_PER_SECOND} remote changes/s, ${rounds} rounds (medians of each round's p50/p95); phone = 390×844, CPU ×4`);
const names = variants.map((v) => v.name);
print(`| ideas | profile | metric | ${names.join(' | ')}${args.baseline ? ' | before/after' : ''} |`);
print(`|---|---|---|${names.map(() => '---|').join('')}${args.baseline ? '---|' : ''}`);
for (const size of sizes) {
  for (const profile of profiles) {
    const rows = names.map((n) => summary.find((s) => s.variant === n && s.size === size && s.profile === profile)!);
    for (const [key, label, fmt] of METRICS) {
      const vals = rows.map((r) => r[key] as number);
      const ratio = args.baseline ? ` | ${vals[1] && !Number.isNaN(vals[0]!) ? `${(vals[0]! / vals[1]!).toFixed(2)}×` : '—'}` : '';
      const shown = vals.map((v, i) => (Number.isNaN(v) ? 'no answer' : fmt(v) + (rows[i]!.noAnswerRounds && key !== 'firstRenderMs' && key !== 'loadAverage' ? ` (${rows[i]!.noAnswerRounds} rounds no answer)` : '')));
      print(`| ${size} | ${profile} | ${label} | ${shown.join(' | ')}${ratio} |`);
    }
  }
}
mkdirSync(join(args.out!, '..'), { recursive: true });
writeFileSync(
  args.out!,
  JSON.stringify(
    {
      at: new Date().toISOString(),
      code: codeVersion(),
      baseline: args.baseline ?? null,
      machine: machineInfo(),
      profiles: PROFILES,
      setup: { writers: WRITERS, votesPerWriter: VOTES_PER_WRITER, updatesPerSecond: UPDATES_PER_SECOND, typed: TYPED, keyGapMs: KEY_GAP_MS, wheel: { steps: WHEEL_STEPS, px: WHEEL_PX, gapMs: WHEEL_GAP_MS } },
      rounds,
      summary,
      screenshots: shots,
      results
    },
    null,
    2
  ) + '\n'
);
print(`\nwrote ${args.out}`);
