/**
 * Slow 3G: how soon a phone on a weak connection sees a board (issue 11).
 *
 * A real server process with a seeded board (one workshop, Desafío 8's six questions, 300 ideas),
 * Debian Chromium through playwright-core, the network throttled by CDP
 * `Network.emulateNetworkConditions`, the HTTP cache on. Each round opens the board in a new
 * browser context (cold) and then again in the same context (repeat), and records, from the page's
 * own clock (ms since navigation start):
 * - shell: the challenge title (`h1`) and every question heading (`h2` of each lane) are on screen
 *   (from the page's HTML or from the app, whichever comes first);
 * - app: the app itself has drawn its lanes (their headings `#q-…`), ready for input;
 * - board: every idea card (`[data-idea-card]`) is drawn;
 * plus the bytes that came over the network and the JS files the page loaded (raw, gzip, brotli).
 *
 * `--baseline DIR` measures a second checkout (e.g. `git archive` of an earlier commit with its
 * own `web/build`) in the same run, its own server and build, so before and after share the
 * machine's load. Results: bench/results/slow3g.json.
 *
 *   npm run bench:slow3g
 *   npm run bench:slow3g -- --baseline /tmp/minga-before --rounds 3 --profiles issue,devtools
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { launchBrowser } from '../tests/helpers/browser.ts';
import { connectBoard, createWorkshop, join as joinWorkshop, postIdea } from '../tests/helpers/clients.ts';
import { codeVersion, machineInfo } from './lib/run-info.ts';
import { mingaEntry, ROOT, startNodeProcess } from './servers/process.ts';

/**
 * Network profiles, as CDP takes them (latency ms added per request, throughput bytes/s).
 * `issue`: what issue 11 measured (400 ms, 400 kbps). `devtools`: Chromium DevTools' own "Slow 3G"
 * preset (devtools-frontend NetworkManager: 500 kbps × 0.8 down and up, 400 ms × 5 latency).
 */
const PROFILES = {
  issue: { latency: 400, downloadThroughput: 50_000, uploadThroughput: 50_000 },
  devtools: { latency: 2_000, downloadThroughput: 50_000, uploadThroughput: 50_000 }
} as const;
type ProfileName = keyof typeof PROFILES;

const IDEAS = 300;
const WRITERS = 6;
const CHALLENGE = 'desafio-8';
const LOAD_TIMEOUT_MS = 60_000;

const print = (line: string) => process.stdout.write(line + '\n');

const { values: args } = parseArgs({
  options: {
    baseline: { type: 'string' },
    rounds: { type: 'string', default: '3' },
    profiles: { type: 'string', default: 'issue' },
    out: { type: 'string', default: join(ROOT, 'bench/results/slow3g.json') },
    help: { type: 'boolean', default: false }
  }
});
if (args.help) {
  print('npm run bench:slow3g -- [--baseline DIR] [--rounds N] [--profiles issue,devtools] [--out FILE]');
  process.exit(0);
}
const rounds = Number(args.rounds);
const profiles = args.profiles!.split(',').map((p) => {
  if (!(p in PROFILES)) throw new Error(`unknown profile ${p}: one of ${Object.keys(PROFILES).join(', ')}`);
  return p as ProfileName;
});

interface Variant {
  name: string;
  /** A checkout of Minga: its server (mingaEntry) and web/build are what runs. */
  dir: string;
}
const variants: Variant[] = [...(args.baseline ? [{ name: 'before', dir: args.baseline }] : []), { name: args.baseline ? 'after' : 'current', dir: ROOT }];

interface Visit {
  shellMs: number;
  appMs: number;
  boardMs: number;
  /** Bytes on the wire for HTTP responses (headers + body, as Chromium counts them). */
  transferredBytes: number;
  requests: number;
  /** Revalidated: 304 Not Modified. */
  notModified: number;
  scripts: { path: string; transferredBytes: number; encoding: string | null; cacheControl: string | null }[];
  /** Every request and socket of the visit, ms from the page's request (sockets: frames received until the board was drawn). */
  timeline: { what: string; startMs: number; endMs: number | null; openMs?: number | null; bytes: number }[];
}

/** One workshop, one board of `IDEAS` ideas over its questions, and a participant to open it as. */
async function seed(httpUrl: string, wsUrl: string) {
  const ws = await createWorkshop(httpUrl, [CHALLENGE]);
  const boardId = ws.boards[0]!.id;
  const info = (await (await fetch(`${httpUrl}/api/boards/${boardId}`)).json()) as { challenge: { questions: { id: string }[] } };
  const questions = info.challenge.questions;
  const sectors = ['comunidad', 'universidad', 'mipyme'] as const;
  const writers = await Promise.all(Array.from({ length: WRITERS }, (_, i) => joinWorkshop(httpUrl, ws.code, { name: `Persona ${i + 1}`, sector: sectors[i % 3] })));
  const clients = writers.map((w) => connectBoard(wsUrl, boardId, w.token));
  await Promise.all(clients.map((c) => c.synced));
  for (let i = 0; i < IDEAS; i++) {
    const w = i % WRITERS;
    postIdea(clients[w]!.doc, { id: writers[w]!.participantId, name: `Persona ${w + 1}`, sector: sectors[w % 3]! }, {
      text: `Idea ${i}: ${i % 2 ? 'rutas de turismo rural con la comunidad' : 'pesca artesanal y venta directa en la caleta'}`,
      questionId: questions[i % questions.length]!.id
    });
    if (i % 30 === 29) await new Promise((r) => setTimeout(r, 150)); // under the per-connection message rate
  }
  const viewer = await joinWorkshop(httpUrl, ws.code, { name: 'Teléfono', sector: 'comunidad' });
  const reader = connectBoard(wsUrl, boardId, viewer.token);
  const deadline = Date.now() + 30_000;
  for (;;) {
    await reader.synced;
    const n = reader.doc.getMap('ideas').size;
    if (n >= IDEAS) break;
    if (Date.now() > deadline) throw new Error(`seed: only ${n}/${IDEAS} ideas reached the board; denials ${JSON.stringify(clients.flatMap((c) => c.denials))}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  for (const c of [...clients, reader]) c.destroy();
  return { code: ws.code, boardId, viewer, questions: questions.length };
}

/**
 * Records in the page, from navigation start, when the shell and when the whole board are drawn.
 * A string, not a function: tsx wraps named functions in a helper the page does not have.
 */
const watchPaint = (expectedIdeas: number) => `(() => {
  const marks = (window.__paint = {});
  const visible = (el) => !!el && el.offsetParent !== null && (el.textContent || '').trim() !== '';
  const check = () => {
    if (marks.shell === undefined) {
      const h1 = document.querySelector('h1');
      const lanes = document.querySelectorAll('section[id^="lane-"] h2');
      if (visible(h1) && lanes.length > 0 && [...lanes].every(visible)) marks.shell = performance.now();
    }
    if (marks.app === undefined) {
      const own = document.querySelectorAll('section[id^="lane-"] h2[id^="q-"]');
      if (own.length > 0 && [...own].every(visible)) marks.app = performance.now();
    }
    if (marks.board === undefined && document.querySelectorAll('[data-idea-card]').length >= ${expectedIdeas}) marks.board = performance.now();
    if (marks.board === undefined) requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
})();`;

async function throttle(page: Page, profile: ProfileName): Promise<CDPSession> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
  await cdp.send('Network.emulateNetworkConditions', { offline: false, ...PROFILES[profile] });
  return cdp;
}

async function visit(page: Page, cdp: CDPSession, url: string): Promise<Visit> {
  const responses = new Map<string, { url: string; type: string; status: number; fromCache: boolean; encoding: string | null; cacheControl: string | null }>();
  const sizes = new Map<string, number>();
  const onResponse = (e: { requestId: string; type: string; response: { url: string; status: number; fromDiskCache?: boolean; fromMemoryCache?: boolean; headers: Record<string, string> } }) => {
    const h = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), v]));
    responses.set(e.requestId, {
      url: e.response.url,
      type: e.type,
      status: e.response.status,
      fromCache: !!(e.response.fromDiskCache || e.response.fromMemoryCache),
      encoding: h['content-encoding'] ?? null,
      cacheControl: h['cache-control'] ?? null
    });
  };
  // When each request started and ended, and each socket's handshake and frames (CDP seconds).
  const started = new Map<string, { url: string; at: number }>();
  const ended = new Map<string, number>();
  const sockets = new Map<string, { url: string; at: number; open?: number; frames: { at: number; bytes: number }[] }>();
  const onFinished = (e: { requestId: string; encodedDataLength: number; timestamp: number }) => {
    sizes.set(e.requestId, e.encodedDataLength);
    ended.set(e.requestId, e.timestamp);
  };
  const onRequest = (e: { requestId: string; request: { url: string }; timestamp: number }) => started.set(e.requestId, { url: e.request.url, at: e.timestamp });
  const onWsStart = (e: { requestId: string; timestamp: number }) => sockets.set(e.requestId, { url: '', at: e.timestamp, frames: [] });
  const onWsCreated = (e: { requestId: string; url: string }) => {
    const ws = sockets.get(e.requestId) ?? { url: '', at: 0, frames: [] };
    sockets.set(e.requestId, { ...ws, url: e.url });
  };
  const onWsOpen = (e: { requestId: string; timestamp: number }) => {
    const ws = sockets.get(e.requestId);
    if (ws) ws.open = e.timestamp;
  };
  const onWsFrame = (e: { requestId: string; timestamp: number; response: { payloadData: string; opcode: number } }) =>
    sockets.get(e.requestId)?.frames.push({ at: e.timestamp, bytes: e.response.opcode === 2 ? Math.floor((e.response.payloadData.length * 3) / 4) : e.response.payloadData.length });
  const listeners = [
    ['Network.responseReceived', onResponse],
    ['Network.loadingFinished', onFinished],
    ['Network.requestWillBeSent', onRequest],
    ['Network.webSocketCreated', onWsCreated],
    ['Network.webSocketWillSendHandshakeRequest', onWsStart],
    ['Network.webSocketHandshakeResponseReceived', onWsOpen],
    ['Network.webSocketFrameReceived', onWsFrame]
  ] as const;
  for (const [event, fn] of listeners) cdp.on(event, fn as never);
  await page.goto(url, { waitUntil: 'commit', timeout: LOAD_TIMEOUT_MS });
  // Polled from here: waitForFunction would eval in the page, which the app's CSP forbids.
  const deadline = Date.now() + LOAD_TIMEOUT_MS;
  while (!(await page.evaluate('window.__paint?.board !== undefined'))) {
    if (Date.now() > deadline) {
      const state = await page.evaluate('({ cards: document.querySelectorAll("[data-idea-card]").length, paint: window.__paint })');
      throw new Error(`board not drawn after ${LOAD_TIMEOUT_MS} ms: ${JSON.stringify(state)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const marks = (await page.evaluate('window.__paint')) as { shell?: number; app?: number; board?: number };
  for (const [event, fn] of listeners) cdp.off(event, fn as never);
  const t0 = Math.min(...[...started.values()].map((r) => r.at));
  const rel = (t: number | undefined) => (t === undefined ? null : Math.round((t - t0) * 1000));
  const timeline = [
    ...[...started.entries()].map(([id, r]) => ({ what: new URL(r.url).pathname, startMs: rel(r.at)!, endMs: rel(ended.get(id)), bytes: sizes.get(id) ?? 0 })),
    ...[...sockets.values()].map((w) => ({
      what: `ws ${new URL(w.url || 'ws://x/').pathname}`,
      startMs: rel(w.at)!,
      endMs: rel(w.frames.reduce((m, f) => Math.max(m, f.at), w.open ?? w.at)),
      openMs: rel(w.open),
      bytes: w.frames.reduce((n, f) => n + f.bytes, 0)
    }))
  ].sort((a, b) => a.startMs - b.startMs);
  const all = [...responses.entries()].map(([id, r]) => ({ ...r, bytes: r.fromCache ? 0 : (sizes.get(id) ?? 0) }));
  return {
    shellMs: Math.round(marks.shell ?? marks.board!),
    appMs: Math.round(marks.app ?? marks.board!),
    boardMs: Math.round(marks.board!),
    transferredBytes: all.reduce((n, r) => n + r.bytes, 0),
    requests: all.length,
    notModified: all.filter((r) => r.status === 304).length,
    timeline,
    scripts: all
      .filter((r) => r.type === 'Script')
      .map((r) => ({ path: new URL(r.url).pathname, transferredBytes: r.bytes, encoding: r.encoding, cacheControl: r.cacheControl }))
  };
}

/** Raw, gzip (level 9) and brotli (quality 11) bytes of each JS file the board page loaded, from the build. */
function jsSizes(webRoot: string, paths: string[]) {
  const files = [...new Set(paths)].sort().map((path) => {
    const body = readFileSync(join(webRoot, path));
    return {
      path,
      raw: body.length,
      gzip: gzipSync(body, { level: 9 }).length,
      brotli: brotliCompressSync(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } }).length
    };
  });
  const sum = (k: 'raw' | 'gzip' | 'brotli') => files.reduce((n, f) => n + f[k], 0);
  return { files: files.length, raw: sum('raw'), gzip: sum('gzip'), brotli: sum('brotli'), list: files };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const max = (xs: number[]) => Math.max(...xs);

async function measureVariant(browser: Browser, variant: Variant) {
  const webRoot = join(variant.dir, 'web/build');
  if (!existsSync(join(webRoot, 'index.html'))) throw new Error(`${webRoot} is missing: build it first (npm run build in ${variant.dir})`);
  const dataDir = mkdtempSync(join(tmpdir(), 'minga-slow3g-'));
  const server = await startNodeProcess(mingaEntry(variant.dir), {
    env: { PORT: '0', HOST: '127.0.0.1', DATABASE_PATH: join(dataDir, 'minga.db'), MINGA_WEB_ROOT: webRoot, LOG_LEVEL: 'warn' },
    ready: /abre http:\/\/localhost:(\d+)/
  });
  const httpUrl = `http://127.0.0.1:${server.port}`;
  try {
    const board = await seed(httpUrl, `ws://127.0.0.1:${server.port}`);
    const url = `${httpUrl}/tablero/${board.boardId}`;
    const results: Record<string, { cold: Visit[]; repeat: Visit[] }> = {};
    for (const profile of profiles) {
      results[profile] = { cold: [], repeat: [] };
      for (let r = 0; r < rounds; r++) {
        // A phone: small screen, the participant's token already in this browser (it joined before).
        const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'es-CL', hasTouch: true });
        await context.addInitScript({ content: `localStorage.setItem(${JSON.stringify(`minga:part:${board.code}`)}, ${JSON.stringify(JSON.stringify(board.viewer))});` });
        await context.addInitScript({ content: watchPaint(IDEAS) });
        const page = await context.newPage();
        const cdp = await throttle(page, profile);
        results[profile].cold.push(await visit(page, cdp, url));
        results[profile].repeat.push(await visit(page, cdp, url));
        await context.close();
        const [c, w] = [results[profile].cold.at(-1)!, results[profile].repeat.at(-1)!];
        process.stderr.write(`  ${variant.name} ${profile} round ${r + 1}: cold ${c.shellMs}/${c.appMs}/${c.boardMs} ms, repeat ${w.shellMs}/${w.appMs}/${w.boardMs} ms (shell/app/board)\n`);
      }
    }
    const scriptPaths = Object.values(results).flatMap((r) => r.cold.flatMap((v) => v.scripts.map((s) => s.path)));
    return { variant: variant.name, dir: variant.dir, ideas: IDEAS, questions: board.questions, js: jsSizes(webRoot, scriptPaths), profiles: results };
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function summary(v: Awaited<ReturnType<typeof measureVariant>>) {
  return Object.entries(v.profiles).map(([profile, r]) => {
    const s = (vs: Visit[], k: 'shellMs' | 'appMs' | 'boardMs' | 'transferredBytes') => ({ median: median(vs.map((x) => x[k])), max: max(vs.map((x) => x[k])) });
    return {
      variant: v.variant,
      profile,
      coldShellMs: s(r.cold, 'shellMs'),
      coldAppMs: s(r.cold, 'appMs'),
      coldBoardMs: s(r.cold, 'boardMs'),
      coldKB: s(r.cold, 'transferredBytes'),
      repeatShellMs: s(r.repeat, 'shellMs'),
      repeatAppMs: s(r.repeat, 'appMs'),
      repeatBoardMs: s(r.repeat, 'boardMs'),
      repeatKB: s(r.repeat, 'transferredBytes'),
      repeatNotModified: median(r.repeat.map((x) => x.notModified))
    };
  });
}

const browser = await launchBrowser();
const measured = [];
try {
  for (const v of variants) {
    process.stderr.write(`${v.name}: ${v.dir}\n`);
    measured.push(await measureVariant(browser, v));
  }
} finally {
  await browser.close();
}

const rows = measured.flatMap(summary);
const kb = (b: number) => (b / 1000).toFixed(1);
const ms = (m: { median: number; max: number }) => `${(m.median / 1000).toFixed(2)} (${(m.max / 1000).toFixed(2)})`;
print(`\nSlow 3G, ${IDEAS} ideas on ${CHALLENGE}, ${rounds} rounds; seconds: median (slowest)`);
print('| variant | profile | cold shell | cold app | cold board | cold KB | repeat shell | repeat app | repeat board | repeat KB |');
print('|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  print(
    `| ${r.variant} | ${r.profile} | ${ms(r.coldShellMs)} | ${ms(r.coldAppMs)} | ${ms(r.coldBoardMs)} | ${kb(r.coldKB.median)} | ${ms(r.repeatShellMs)} | ${ms(r.repeatAppMs)} | ${ms(r.repeatBoardMs)} | ${kb(r.repeatKB.median)} |`
  );
}
print('\nJS the board page loads (KB: raw / gzip -9 / brotli q11; over the wire on a cold visit)');
print('| variant | files | raw | gzip | brotli | wire (cold) |');
print('|---|---|---|---|---|---|');
for (const m of measured) {
  const wire = median(Object.values(m.profiles)[0]!.cold.map((v) => v.scripts.reduce((n, s) => n + s.transferredBytes, 0)));
  print(`| ${m.variant} | ${m.js.files} | ${kb(m.js.raw)} | ${kb(m.js.gzip)} | ${kb(m.js.brotli)} | ${kb(wire)} |`);
}

mkdirSync(join(args.out!, '..'), { recursive: true });
writeFileSync(
  args.out!,
  JSON.stringify({ at: new Date().toISOString(), code: codeVersion(), machine: machineInfo(), networkProfiles: PROFILES, rounds, summary: rows, variants: measured }, null, 2) + '\n'
);
print(`\nwrote ${args.out}`);
