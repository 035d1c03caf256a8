import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { nowMicros, sleep } from '../lib/clock.ts';
import { SERVERS } from '../measure.ts';
import type { Population, ServerName } from '../servers/types.ts';
import { SyncClient } from './client.ts';
import { marker, scanMarkers } from './marker.ts';
import { BoardMirror } from './mirror.ts';

/**
 * Checks that the generator's hand-written protocol is the one the real client libraries speak:
 * on the same board, an idea written by a bench client reaches an unmodified provider
 * (`WebsocketProvider`, or `HocuspocusProvider` for Hocuspocus), and one written through the
 * provider reaches the bench client with its marker intact.
 */

const TIMEOUT_MS = 10_000;

interface RealClient {
  doc: Y.Doc;
  destroy(): void;
}

function realClient(population: Population, seatIndex: number): RealClient | null {
  const seat = population.seats[seatIndex]!;
  const board = population.boards[seat.board]!;
  const doc = new Y.Doc();
  const polyfill = WebSocket as unknown as typeof globalThis.WebSocket;
  if (population.protocol === 'hocuspocus') {
    const socket = new HocuspocusProviderWebsocket({ url: seat.url, WebSocketPolyfill: polyfill });
    const provider = new HocuspocusProvider({ websocketProvider: socket, name: board.docName, document: doc });
    provider.attach(); // a provider on a socket it does not own attaches itself explicitly
    return { doc, destroy: () => (provider.destroy(), socket.destroy()) };
  }
  if (population.protocol === 'relay') return null; // a relay has no sync protocol to check
  const url = new URL(seat.url);
  const token = url.searchParams.get('token');
  const base = `${url.origin.replace(/^http/, 'ws')}${url.pathname.slice(0, url.pathname.lastIndexOf('/'))}`;
  const provider = new WebsocketProvider(base, board.docName, doc, {
    WebSocketPolyfill: polyfill,
    disableBc: true,
    ...(token ? { params: { token } } : {})
  });
  return { doc, destroy: () => provider.destroy() };
}

async function until(test: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + TIMEOUT_MS;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await sleep(20);
  }
}

/** Returns null when both directions work, or what failed. */
export async function checkProtocol(serverName: ServerName, seed: number): Promise<string | null> {
  const dir = mkdtempSync(join(tmpdir(), `minga-bench-check-${serverName}-`));
  const server = await SERVERS[serverName].start({ dir });
  try {
    const population = await server.populate({ boards: 1, editorsPerBoard: 2, seed });
    const real = realClient(population, 0);
    if (!real) return null;
    const [benchSeat, realSeat] = [population.seats[1]!, population.seats[0]!];
    const board = population.boards[0]!;
    const mirror = new BoardMirror();
    const seenByBench: number[] = [];
    const bench = new SyncClient(population.protocol, benchSeat.url, board.docName, {
      onSyncStep2: (u) => mirror.feed(u),
      onUpdate: (frame) => scanMarkers(frame, (id) => seenByBench.push(id))
    });
    try {
      await bench.synced;
      // Bench → real provider.
      const update = mirror.write(424242, (doc) => {
        const idea = new Y.Map<unknown>();
        doc.getMap('ideas').set('bench-idea', idea);
        idea.set('text', `desde el banco ${marker(1, nowMicros())}`);
        idea.set('questionId', board.questionIds[0]);
        idea.set('clusterId', null);
        idea.set('authorId', benchSeat.participantId);
        idea.set('authorName', benchSeat.name);
        idea.set('sector', benchSeat.sector);
        idea.set('createdAt', Date.now());
      });
      bench.sendUpdate(update!);
      await until(() => real.doc.getMap('ideas').has('bench-idea'), 'the provider sees the bench idea');
      // Real provider → bench.
      real.doc.transact(() => {
        const idea = new Y.Map<unknown>();
        real.doc.getMap('ideas').set('provider-idea', idea);
        idea.set('text', `desde el proveedor ${marker(2, nowMicros())}`);
        idea.set('questionId', board.questionIds[0]);
        idea.set('clusterId', null);
        idea.set('authorId', realSeat.participantId);
        idea.set('authorName', realSeat.name);
        idea.set('sector', realSeat.sector);
        idea.set('createdAt', Date.now());
      });
      await until(() => seenByBench.includes(2), 'the bench client sees the provider idea');
      return null;
    } catch (err) {
      return (err as Error).message;
    } finally {
      bench.close();
      real.destroy();
      mirror.doc.destroy();
    }
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
