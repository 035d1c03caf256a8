import { request as httpRequest } from 'node:http';
import { io, type Socket } from 'socket.io-client';
import { WebsocketProvider } from 'y-websocket';
import WebSocket from 'ws';
import * as Y from 'yjs';
import type { ClientToServerEvents, ServerToClientEvents } from '../../server/src/realtime/events.ts';
import * as decoding from 'lib0/decoding';
import * as authProtocol from 'y-protocols/auth';

export async function api<T = unknown>(base: string, path: string, init: { method?: string; body?: unknown; token?: string } = {}) {
  const res = await fetch(base + path, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: {
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {})
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body)
  });
  return { status: res.status, body: (await res.json()) as T };
}

export interface CreatedWorkshop {
  workshopId: string;
  code: string;
  facilitatorToken: string;
  joinUrl: string;
  boards: { id: string; challengeId: string; number: number; title: string; url: string }[];
}

export async function createWorkshop(base: string, challengeIds = ['desafio-6']) {
  const res = await api<CreatedWorkshop>(base, '/api/workshops', { body: { title: 'Taller de prueba', challengeIds } });
  if (res.status !== 201) throw new Error(`create workshop: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function join(base: string, code: string, who: { name?: string; sector?: string; comuna?: string } = {}) {
  const res = await api<{ token: string; participantId: string }>(base, `/api/workshops/${code}/join`, {
    body: { name: who.name ?? 'Ana', sector: who.sector ?? 'comunidad', comuna: who.comuna ?? 'Ovalle' }
  });
  if (res.status !== 201) throw new Error(`join: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export interface BoardClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** Refusal reasons (parsed JSON) the server sent this client. */
  denials: { code: string; message: string; messageEn: string }[];
  closes: { code: number; reason: string }[];
  synced: Promise<void>;
  destroy(): void;
}

/** An unmodified y-websocket WebsocketProvider in Node, as any outside client would use it. */
export function connectBoard(wsUrl: string, boardId: string, token: string, doc = new Y.Doc()): BoardClient {
  const provider = new WebsocketProvider(`${wsUrl}/yjs`, boardId, doc, {
    params: { token },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: 300
  });
  const denials: BoardClient['denials'] = [];
  const closes: BoardClient['closes'] = [];
  provider.messageHandlers[2] = (_encoder, decoder: decoding.Decoder) => {
    authProtocol.readAuthMessage(decoder, doc, (_y, reason) => denials.push(JSON.parse(reason)));
  };
  provider.on('connection-close', (event) => {
    if (event) closes.push({ code: event.code, reason: event.reason });
  });
  const synced = new Promise<void>((resolve) => {
    if (provider.synced) resolve();
    else provider.once('sync', () => resolve());
  });
  return {
    doc,
    provider,
    denials,
    closes,
    synced,
    destroy() {
      provider.destroy();
      doc.destroy();
    }
  };
}

export type ControlSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export function connectControl(base: string, token: string): Promise<ControlSocket> {
  const socket: ControlSocket = io(base, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => {
      socket.close();
      reject(err);
    });
  });
}

/** Posts an idea the way the web app does: one transaction, every field of the contract. */
export function postIdea(
  doc: Y.Doc,
  who: { id: string; name: string; sector: string },
  fields: { id?: string; text: string; questionId: string; clusterId?: string | null }
): string {
  const id = fields.id ?? Math.random().toString(36).slice(2, 14);
  doc.transact(() => {
    const idea = new Y.Map<unknown>();
    doc.getMap('ideas').set(id, idea);
    idea.set('text', fields.text);
    idea.set('questionId', fields.questionId);
    idea.set('clusterId', fields.clusterId ?? null);
    idea.set('authorId', who.id);
    idea.set('authorName', who.name);
    idea.set('sector', who.sector);
    idea.set('createdAt', Date.now());
  });
  return id;
}

export function createCluster(doc: Y.Doc, fields: { id?: string; title: string; questionId: string }): string {
  const id = fields.id ?? Math.random().toString(36).slice(2, 14);
  doc.transact(() => {
    const cluster = new Y.Map<unknown>();
    doc.getMap('clusters').set(id, cluster);
    cluster.set('title', fields.title);
    cluster.set('questionId', fields.questionId);
    cluster.set('createdAt', Date.now());
  });
  return id;
}

export const ideaText = (doc: Y.Doc, id: string) => (doc.getMap('ideas').get(id) as Y.Map<unknown> | undefined)?.get('text');

/**
 * A JSON request from another loopback address (127.0.0.2, …): a second machine, as far as the
 * server's per-address limits can tell.
 */
export function apiFrom<T = unknown>(
  localAddress: string,
  base: string,
  path: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: T }> {
  const payload = init.body === undefined ? undefined : JSON.stringify(init.body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      base + path,
      {
        method: init.method ?? (payload === undefined ? 'GET' : 'POST'),
        localAddress,
        headers: { ...(payload === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers }
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: (text ? JSON.parse(text) : null) as T }));
      }
    );
    req.on('error', reject);
    req.end(payload);
  });
}
