/**
 * Where a big board's time goes in Chromium (issue 10): a CDP CPU profile of the first render of a
 * seeded board, then of typing in "Nueva idea" while remote changes arrive; prints the functions
 * with the most self time and the main thread's split (script, layout, style). For finding what
 * to change, not a figure to compare (bench/browser-board.ts is).
 *
 *   node --import tsx bench/browser/profile.ts [--dir CHECKOUT] [--ideas 2000] [--throttle 1] [--updates 20] [--width 1366 --height 768] [--css RULES]
 */
import { parseArgs } from 'node:util';
import type { CDPSession } from 'playwright-core';
import { launchBrowser } from '../../tests/helpers/browser.ts';
import { startCheckout } from '../servers/checkout.ts';
import { ROOT } from '../servers/process.ts';
import { RemoteUpdates, seedBigBoard } from './big-board.ts';

const { values: args } = parseArgs({
  options: {
    dir: { type: 'string', default: ROOT },
    ideas: { type: 'string', default: '2000' },
    throttle: { type: 'string', default: '1' },
    updates: { type: 'string', default: '20' },
    width: { type: 'string', default: '1366' },
    height: { type: 'string', default: '768' },
    css: { type: 'string', default: '' }
  }
});
const print = (line: string) => process.stdout.write(line + '\n');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount: number; children?: number[] }
interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

/** Self time per function (ms), from the samples of a CDP profile. */
function selfTimes(profile: Profile, top = 22) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const n = byId.get(id)!;
    const f = n.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  const total = (profile.endTime - profile.startTime) / 1000;
  return { total, rows: [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, top) };
}

async function metrics(cdp: CDPSession) {
  const m = (await cdp.send('Performance.getMetrics')).metrics;
  const get = (n: string) => (m.find((x) => x.name === n)?.value ?? 0) * 1000;
  return { script: get('ScriptDuration'), layout: get('LayoutDuration'), style: get('RecalcStyleDuration'), task: get('TaskDuration') };
}
const diff = (a: Awaited<ReturnType<typeof metrics>>, b: typeof a) =>
  `task ${(b.task - a.task).toFixed(0)} ms: script ${(b.script - a.script).toFixed(0)}, layout ${(b.layout - a.layout).toFixed(0)}, style ${(b.style - a.style).toFixed(0)}`;

process.setMaxListeners(100);
const env = { MESSAGES_PER_SECOND: '100000', MESSAGE_BURST: '100000', IP_MESSAGES_PER_SECOND: '1000000', IP_MESSAGE_BURST: '1000000', VOTE_BUDGET: '15', JOINS_PER_MINUTE: '10000', API_REQUESTS_PER_MINUTE: '100000', WORKSHOP_CREATIONS_PER_MINUTE: '1000' };
const browser = await launchBrowser();
const running = await startCheckout(args.dir!, env);
const ideas = Number(args.ideas);
const board = await seedBigBoard(running.httpUrl, running.wsUrl, { ideas, writers: 20, votesPerWriter: 10, seed: ideas });
const updates = new RemoteUpdates(board, running.httpUrl, Number(args.updates), ideas + 1);
try {
  const context = await browser.newContext({ viewport: { width: Number(args.width), height: Number(args.height) }, locale: 'es-CL', bypassCSP: !!args.css });
  await context.addInitScript({ content: `localStorage.setItem(${JSON.stringify(`minga:part:${board.code}`)}, ${JSON.stringify(JSON.stringify(board.viewer))});` });
  // When the page opened its IndexedDB copy and its sockets, on the page's clock.
  await context.addInitScript({
    content: `(() => { const m = (window.__opened = []); const open = IDBFactory.prototype.open;
      IDBFactory.prototype.open = function (name, ...rest) { const t = performance.now(); const r = open.call(this, name, ...rest);
        r.addEventListener('success', () => m.push(['indexeddb ' + String(name).split(':').slice(0, 2).join(':'), Math.round(t), Math.round(performance.now())])); return r; };
      const WS = window.WebSocket; window.WebSocket = function (url, p) { const t = performance.now(); const s = new WS(url, p);
        s.addEventListener('open', () => m.push(['websocket ' + String(url).split('?')[0].replace(location.host, ''), Math.round(t), Math.round(performance.now())]));
        s.addEventListener('message', (e) => { const n = e.data.byteLength ?? e.data.length; if (n > 10000) m.push(['message ' + Math.round(n / 1024) + ' KB on ' + String(url).split('?')[0].replace(location.host, ''), Math.round(performance.now()), 0]); }); return s; };
      window.WebSocket.prototype = WS.prototype; Object.assign(window.WebSocket, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 }); })();`
  });
  // When the cards came, on the page's own clock (from navigation start): what of the first
  // render is loading and syncing the board, and what is drawing it.
  await context.addInitScript({
    content: `(() => { const m = (window.__cards = []); const f = () => { const n = document.querySelectorAll('[data-idea-card]').length;
      if (n > (m.at(-1)?.[1] ?? 0)) m.push([Math.round(performance.now()), n]); if (n < ${ideas}) requestAnimationFrame(f); }; requestAnimationFrame(f); })();`
  });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  if (Number(args.throttle) > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: Number(args.throttle) });
  await cdp.send('Performance.enable');
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await page.goto(`${running.httpUrl}/`);
  // The network's part of the first render: requests and WebSocket frames, on the CDP clock.
  const net: { at: number; what: string }[] = [];
  await cdp.send('Network.enable');
  cdp.on('Network.requestWillBeSent', (e) => net.push({ at: e.timestamp, what: `request ${e.request.url.replace(running.httpUrl, '').slice(0, 60)}` }));
  cdp.on('Network.loadingFinished', (e) => net.push({ at: e.timestamp, what: `loaded ${e.requestId} ${Math.round(e.encodedDataLength / 1024)} KB` }));
  cdp.on('Network.webSocketCreated', (e) => net.push({ at: Number.NaN, what: `websocket ${e.url.replace(running.wsUrl, '').split('?')[0]}` }));
  cdp.on('Network.webSocketFrameReceived', (e) => {
    if (e.response.payloadData.length > 1000) net.push({ at: e.timestamp, what: `websocket frame in, ${Math.round(e.response.payloadData.length / 1024)} KB (base64 or text)` });
  });
  const m0 = await metrics(cdp);
  await cdp.send('Profiler.start');
  const t0 = Date.now();
  await page.goto(`${running.httpUrl}/tablero/${board.boardId}`, { waitUntil: 'commit' });
  // page.evaluate, not waitForFunction: the page's CSP forbids the eval the latter uses.
  while (((await page.evaluate(`document.querySelectorAll('[data-idea-card]').length`)) as number) < ideas) await sleep(50);
  const renderMs = Date.now() - t0;
  const first = (await cdp.send('Profiler.stop')).profile as unknown as Profile;
  const m1 = await metrics(cdp);
  print(`first render: ${renderMs} ms (harness clock); ${diff(m0, m1)}; ${await page.evaluate('document.querySelectorAll("*").length')} elements`);
  const nav = (await page.evaluate(`(() => { const n = performance.getEntriesByType('navigation')[0]; return [Math.round(n.responseEnd), Math.round(n.domContentLoadedEventEnd)]; })()`)) as number[];
  const cards = (await page.evaluate('window.__cards')) as [number, number][];
  const opened = (await page.evaluate('window.__opened')) as [string, number, number][];
  print(`  opened (asked at → ready at, ms): ${opened.map(([w, a, b]) => (b ? `${w} ${a}→${b}` : `${w} at ${a}`)).join('; ')}`);
  print(`  page: HTML at ${nav[0]} ms, DOMContentLoaded at ${nav[1]} ms; cards (ms → count): ${cards.map(([t, n]) => `${t}→${n}`).join(' ')}`);
  for (const [k, v] of selfTimes(first).rows) print(`  ${v.toFixed(1).padStart(8)} ms  ${k}`);
  const start = net.find((n) => n.what.startsWith('request /tablero'))?.at ?? 0;
  print(`  network (ms from the board's request): ${net.filter((n) => !Number.isNaN(n.at) && n.at >= start).map((n) => `${Math.round((n.at - start) * 1000)} ${n.what}`).join('; ')}`);

  await sleep(1500);
  if (Number(args.updates) > 0) await updates.start();
  await sleep(1000);
  // --css: a style sheet added before typing, to try a change in the page without a build.
  if (args.css) await page.addStyleTag({ content: args.css });
  await sleep(300);
  await page.focus(`#new-${board.questions[0]!.id}`);
  const m2 = await metrics(cdp);
  const events: { name: string; ph: string; ts: number; dur?: number; tid: number; pid: number }[] = [];
  cdp.on('Tracing.dataCollected', (d) => events.push(...(d.value as unknown as typeof events)));
  await cdp.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline', transferMode: 'ReportEvents' });
  await cdp.send('Profiler.start');
  const started = Date.now();
  for (const ch of 'Huertos comunitarios en la escuela') {
    await page.keyboard.type(ch);
    await sleep(60);
  }
  const typing = (await cdp.send('Profiler.stop')).profile as unknown as Profile;
  const m3 = await metrics(cdp);
  const traced = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
  await cdp.send('Tracing.end');
  await traced;
  // The renderer's main thread: the thread that ran the most RunTask time.
  const byThread = new Map<string, number>();
  for (const e of events) if (e.name === 'RunTask' && e.dur) byThread.set(`${e.pid}:${e.tid}`, (byThread.get(`${e.pid}:${e.tid}`) ?? 0) + e.dur);
  const main = [...byThread.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  const byName = new Map<string, number>();
  for (const e of events) if (`${e.pid}:${e.tid}` === main && e.ph === 'X' && e.dur) byName.set(e.name, (byName.get(e.name) ?? 0) + e.dur / 1000);
  print(`\nmain thread while typing (trace, inclusive ms):`);
  for (const [k, v] of [...byName.entries()].sort((a, b) => b[1] - a[1]).slice(0, 24)) print(`  ${v.toFixed(1).padStart(8)} ms  ${k}`);
  // How often the frame was painted and layerized, and which elements repainted most (the trace's Paint events name a backend node).
  const on = (n: string) => events.filter((e) => `${e.pid}:${e.tid}` === main && e.ph === 'X' && e.name === n);
  for (const n of ['Layerize', 'Paint', 'PrePaint', 'Layout', 'UpdateLayoutTree']) {
    const list = on(n);
    print(`  ${n}: ${list.length} times, ${(list.reduce((a, e) => a + (e.dur ?? 0), 0) / 1000 / Math.max(1, list.length)).toFixed(2)} ms each`);
  }
  const dispatched = new Map<string, number>();
  for (const e of on('EventDispatch') as unknown as { dur?: number; args?: { data?: { type?: string } } }[]) {
    const type = e.args?.data?.type ?? '?';
    dispatched.set(type, (dispatched.get(type) ?? 0) + (e.dur ?? 0) / 1000);
  }
  print(`  EventDispatch by type: ${[...dispatched.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k, v]) => `${k} ${v.toFixed(0)} ms`).join(', ')}`);
  // What runs inside the keystroke's own events (the text insertion, the selection change), by trace event name.
  type Ev = { name: string; ts: number; dur?: number; args?: { data?: { type?: string } } };
  const mainEvents = events.filter((e) => `${e.pid}:${e.tid}` === main && e.ph === 'X') as unknown as Ev[];
  const label = (e: Ev) => (e.name === 'EventDispatch' ? `EventDispatch ${e.args?.data?.type}` : e.name);
  for (const type of ['textInput', 'selectionchange']) {
    const inside = new Map<string, number>();
    for (const t of mainEvents.filter((e) => e.name === 'EventDispatch' && e.args?.data?.type === type))
      for (const e of mainEvents) if (e !== t && e.ts >= t.ts && e.ts + (e.dur ?? 0) <= t.ts + (t.dur ?? 0)) inside.set(label(e), (inside.get(label(e)) ?? 0) + (e.dur ?? 0) / 1000);
    print(`  inside ${type}: ${[...inside.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k, v]) => `${k} ${v.toFixed(0)} ms`).join(', ')}`);
  }
  const painted = new Map<number, { n: number; area: number }>();
  for (const e of on('Paint') as unknown as { args?: { data?: { nodeId?: number; clip?: number[] } } }[]) {
    const d = e.args?.data;
    if (!d?.nodeId) continue;
    const c = d.clip ?? [];
    const area = c.length === 8 ? Math.abs((c[2]! - c[0]!) * (c[5]! - c[1]!)) : 0;
    const p = painted.get(d.nodeId) ?? { n: 0, area: 0 };
    painted.set(d.nodeId, { n: p.n + 1, area: p.area + area });
  }
  await cdp.send('DOM.getDocument', { depth: 0 });
  for (const [id, p] of [...painted.entries()].sort((a, b) => b[1].n - a[1].n).slice(0, 8)) {
    const node = await cdp.send('DOM.describeNode', { backendNodeId: id }).then((r) => r.node, () => null);
    const what = node ? `${node.localName}${(node.attributes ?? []).join(' ').slice(0, 90)}` : `node ${id}`;
    print(`  painted ${p.n}x, ${Math.round(p.area / p.n)} px² each: ${what}`);
  }
  // The composited layers now, and why each exists.
  const layers = new Promise<{ layerId: string; width: number; height: number; drawsContent: boolean; backendNodeId?: number }[]>((r) =>
    cdp.once('LayerTree.layerTreeDidChange', (e) => r((e.layers ?? []) as never))
  );
  await cdp.send('LayerTree.enable');
  const list = await Promise.race([layers, sleep(5000).then(() => [])]);
  print(`  composited layers: ${list.length}`);
  for (const l of list.filter((x) => x.drawsContent).slice(0, 30)) {
    const why = await cdp.send('LayerTree.compositingReasons', { layerId: l.layerId }).then((r) => r.compositingReasonIds ?? [], () => []);
    const node = l.backendNodeId ? await cdp.send('DOM.describeNode', { backendNodeId: l.backendNodeId }).then((r) => r.node, () => null) : null;
    print(`    ${l.width}x${l.height} ${why.join(',')} ${node ? `${node.localName}.${(node.attributes ?? []).join(' ').slice(0, 60)}` : ''}`);
  }
  print(`\ntyping 34 keys with ${args.updates} changes/s: ${Date.now() - started} ms; ${diff(m2, m3)}`);
  for (const [k, v] of selfTimes(typing).rows) print(`  ${v.toFixed(1).padStart(8)} ms  ${k}`);
  updates.stop();
  await context.close();
} finally {
  await browser.close();
  updates.close();
  board.close();
  await running.stop();
}
