import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as Y from 'yjs';
import { connectBoard, postIdea, type BoardClient } from '../../tests/helpers/clients.ts';
import { mingaEnv } from '../servers/minga.ts';
import { mingaEntry, startNodeProcess } from '../servers/process.ts';

export interface RestTiming {
  ideas: number;
  /** The server's first request, a second after it loaded the engine (SUGGESTIONS_WARMUP_MS). */
  firstMs: number;
  /** Each after an edit of one idea, so the route's memo cannot answer. */
  medianMs: number;
  p95Ms: number;
  runs: number;
  /** The same ideas asked again: the memo answers. */
  reusedMs: number;
}

const post = async <T>(url: string, body: unknown, token?: string): Promise<T> => {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body)
  });
  if (res.status !== 201) throw new Error(`POST ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
};

const until = async (done: () => boolean, what: string) => {
  const deadline = Date.now() + 20_000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

/** The server loads the engine this long after it listens (SUGGESTIONS_WARMUP_MS). */
const WARMUP_MS = 2_000;

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;

/**
 * `GET /api/boards/:boardId/suggestions` as a facilitator's browser sees it: the server build in
 * its own process (as `npm start` runs it), `texts` posted under `questionId` by one participant
 * over y-websocket, the time from request to parsed JSON on loopback. The first request comes
 * once the server has loaded the engine by itself, as it does a few seconds after a start. Before each timed request
 * one idea's text changes (seen by a second client, so the server holds it), so every answer is
 * computed, not remembered.
 */
export async function timeRestSuggestions(texts: readonly string[], challengeId: string, questionId: string, runs: number): Promise<RestTiming> {
  const dir = mkdtempSync(join(tmpdir(), 'minga-bench-suggestions-'));
  const started = Date.now();
  const proc = await startNodeProcess(mingaEntry(), { env: mingaEnv(dir, { SUGGESTIONS_WARMUP_MS: String(WARMUP_MS) }), ready: /abre http:\/\/localhost:(\d+)/ });
  const httpUrl = `http://127.0.0.1:${proc.port}`;
  const wsUrl = `ws://127.0.0.1:${proc.port}`;
  const clients: BoardClient[] = [];
  try {
    const ws = await post<{ code: string; facilitatorToken: string; boards: { id: string }[] }>(`${httpUrl}/api/workshops`, {
      title: 'Bench de sugerencias',
      challengeIds: [challengeId]
    });
    const boardId = ws.boards[0]!.id;
    const ana = await post<{ token: string; participantId: string }>(`${httpUrl}/api/workshops/${ws.code}/join`, {
      name: 'Ana',
      sector: 'comunidad',
      comuna: 'La Serena'
    });
    const writer = connectBoard(wsUrl, boardId, ana.token);
    const observer = connectBoard(wsUrl, boardId, ws.facilitatorToken);
    clients.push(writer, observer);
    await Promise.all([writer.synced, observer.synced]);
    const who = { id: ana.participantId, name: 'Ana', sector: 'comunidad' };
    const ids: string[] = [];
    writer.doc.transact(() => {
      texts.forEach((text, i) => ids.push(postIdea(writer.doc, who, { id: `i${String(i).padStart(4, '0')}`, text, questionId })));
    });
    const ideasOf = (doc: Y.Doc) => doc.getMap<Y.Map<unknown>>('ideas');
    await until(() => ideasOf(observer.doc).size === texts.length, 'the ideas to reach the server');
    if (writer.denials.length > 0) throw new Error(`ideas refused: ${JSON.stringify(writer.denials)}`);

    const ask = async () => {
      const started = performance.now();
      const res = await fetch(`${httpUrl}/api/boards/${boardId}/suggestions?questionId=${questionId}`, {
        headers: { authorization: `Bearer ${ws.facilitatorToken}` }
      });
      const body = (await res.json()) as { groups?: unknown[] };
      const ms = performance.now() - started;
      if (res.status !== 200 || !Array.isArray(body.groups)) throw new Error(`suggestions: ${res.status} ${JSON.stringify(body)}`);
      return ms;
    };
    // As in a workshop, where ideas take minutes to come: the engine has loaded by then.
    await new Promise((r) => setTimeout(r, Math.max(0, started + WARMUP_MS + 1_000 - Date.now())));
    const firstMs = await ask();
    const reusedMs = await ask();
    const ms: number[] = [];
    for (let r = 0; r < runs; r++) {
      const id = ids[r % ids.length]!;
      const text = `${texts[r % texts.length]} ${r}`; // a number is no term: the groups stay the same
      ideasOf(writer.doc).get(id)!.set('text', text);
      await until(() => ideasOf(observer.doc).get(id)?.get('text') === text, 'an edit to reach the server');
      ms.push(await ask());
    }
    ms.sort((a, b) => a - b);
    return { ideas: texts.length, firstMs, medianMs: quantile(ms, 0.5), p95Ms: quantile(ms, 0.95), runs, reusedMs };
  } finally {
    for (const c of clients) c.destroy();
    await proc.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
