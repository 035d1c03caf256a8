import * as Y from 'yjs';
import { connectBoard, connectControl, createCluster, createWorkshop, join, postIdea, type BoardClient, type ControlSocket } from '../../tests/helpers/clients.ts';
import { Random } from '../lib/random.ts';
import { COMUNAS, SECTORS } from '../load/people.ts';

/**
 * A big board as a real workshop leaves it, written through the server's own API and sockets:
 * Desafío 8 (six questions), `ideas` ideas in Spanish by `writers` people of several sectors, ten
 * groups per question holding about two thirds of the ideas, and dots cast over the control plane.
 */
export const CHALLENGE = 'desafio-8';
export const GROUPS_PER_QUESTION = 10;

const NAMES = ['Ana Rojas', 'Luis Araya', 'Camila Cortés', 'Jorge Pizarro', 'Valentina Contreras', 'Pedro Castillo', 'Francisca Alfaro', 'Matías Olivares', 'Javiera Tapia', 'Tomás Vega'];
const DO = ['Crear', 'Fortalecer', 'Financiar', 'Organizar', 'Difundir', 'Capacitar en', 'Mapear', 'Recuperar', 'Conectar', 'Medir'];
const WHAT = [
  'huertos comunitarios', 'el transporte rural', 'el agua para riego', 'talleres para personas mayores', 'ferias locales de productores',
  'el reciclaje en las escuelas', 'el turismo astronómico', 'la salud mental juvenil', 'la venta directa en las caletas', 'rutas accesibles',
  'cooperativas de mujeres', 'la cosecha de aguas lluvia', 'bibliotecas móviles', 'el comercio justo', 'energía solar en sedes vecinales'
];
const HOW = [
  'con las juntas de vecinos', 'junto a la universidad', 'con apoyo municipal', 'con fondos regionales', 'entre mipymes del sector',
  'con jóvenes voluntarios', 'con monitores locales', 'con una app sencilla', 'en horario vespertino', 'cada fin de semana'
];
const GROUP_TITLES = ['Agua y riego', 'Turismo', 'Educación', 'Salud', 'Economía local', 'Transporte', 'Medio ambiente', 'Cultura', 'Personas mayores', 'Juventudes'];

export function ideaText(rng: Random): string {
  return `${rng.pick(DO)} ${rng.pick(WHAT)} en ${rng.pick(COMUNAS)} ${rng.pick(HOW)}`;
}

export interface Writer {
  token: string;
  participantId: string;
  who: { id: string; name: string; sector: string };
  client: BoardClient;
}

export interface BigBoard {
  code: string;
  boardId: string;
  facilitatorToken: string;
  questions: { id: string; text: string }[];
  groups: { id: string; questionId: string }[];
  ideas: number;
  votes: number;
  /** The participant the browser opens the board as (joined, never writing from Node). */
  viewer: { token: string; participantId: string };
  /** Writers still connected: the remote updates come from them. */
  writers: Writer[];
  close(): void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function seedBigBoard(httpUrl: string, wsUrl: string, options: { ideas: number; writers: number; votesPerWriter: number; seed: number }): Promise<BigBoard> {
  const rng = new Random(options.seed);
  const ws = await createWorkshop(httpUrl, [CHALLENGE]);
  const boardId = ws.boards[0]!.id;
  const info = (await (await fetch(`${httpUrl}/api/boards/${boardId}`)).json()) as { challenge: { questions: { id: string; text: string }[] } };
  const questions = info.challenge.questions;
  const writers: Writer[] = [];
  for (let i = 0; i < options.writers; i++) {
    const sector = SECTORS[i % SECTORS.length]!;
    const name = `${NAMES[i % NAMES.length]}${i >= NAMES.length ? ` ${Math.floor(i / NAMES.length) + 1}` : ''}`;
    const p = await join(httpUrl, ws.code, { name, sector, comuna: COMUNAS[i % COMUNAS.length] });
    writers.push({ ...p, who: { id: p.participantId, name, sector }, client: connectBoard(wsUrl, boardId, p.token) });
  }
  await Promise.all(writers.map((w) => w.client.synced));

  const groups: BigBoard['groups'] = [];
  questions.forEach((q, qi) => {
    for (let g = 0; g < GROUPS_PER_QUESTION; g++) {
      const w = writers[(qi * GROUPS_PER_QUESTION + g) % writers.length]!;
      groups.push({ id: createCluster(w.client.doc, { title: `${GROUP_TITLES[g]} (${qi + 1})`, questionId: q.id }), questionId: q.id });
    }
  });
  const ideaIds: string[] = [];
  for (let i = 0; i < options.ideas; i++) {
    const w = writers[i % writers.length]!;
    const q = questions[rng.int(questions.length)]!;
    const inQuestion = groups.filter((g) => g.questionId === q.id);
    const clusterId = rng.next() < 0.67 ? rng.pick(inQuestion).id : null;
    ideaIds.push(postIdea(w.client.doc, w.who, { text: ideaText(rng), questionId: q.id, clusterId }));
    if (i % 200 === 199) await sleep(50);
  }

  // Dots: each writer spends its budget over the control plane, as the app's vote buttons do.
  let votes = 0;
  const controls: ControlSocket[] = [];
  for (const w of writers) {
    const control = await connectControl(httpUrl, w.token);
    controls.push(control);
    const joined = (await control.emitWithAck('board:join', { boardId } as never)) as { ok: boolean };
    if (!joined.ok) throw new Error(`board:join: ${JSON.stringify(joined)}`);
  }
  const viewer = await join(httpUrl, ws.code, { name: 'Persona en el navegador', sector: 'comunidad', comuna: 'Ovalle' });
  const reader = connectBoard(wsUrl, boardId, viewer.token);
  const deadline = Date.now() + 60_000;
  for (;;) {
    await reader.synced;
    const n = reader.doc.getMap('ideas').size;
    if (n >= options.ideas && reader.doc.getMap('clusters').size >= groups.length) break;
    if (Date.now() > deadline) throw new Error(`seed: only ${n}/${options.ideas} ideas reached the board; denials ${JSON.stringify(writers.flatMap((w) => w.client.denials))}`);
    await sleep(200);
  }
  reader.destroy();
  for (const [i, control] of controls.entries()) {
    for (let v = 0; v < options.votesPerWriter; v++) {
      const target = rng.next() < 0.3 ? rng.pick(groups).id : ideaIds[rng.int(ideaIds.length)]!;
      const ack = (await control.emitWithAck('vote:cast', { boardId, targetId: target, delta: 1 } as never)) as { ok: boolean; error?: unknown };
      if (ack.ok) votes++;
      else if (v === 0 && i === 0) throw new Error(`vote:cast: ${JSON.stringify(ack)}`);
    }
    control.close();
  }
  return {
    code: ws.code,
    boardId,
    facilitatorToken: ws.facilitatorToken,
    questions,
    groups,
    ideas: options.ideas,
    votes,
    viewer,
    writers,
    close() {
      for (const w of writers) w.client.destroy();
    }
  };
}

/**
 * Remote changes at `perSecond` from the writers' own y-websocket clients while the page is
 * measured: new ideas (and deleting the ones it added, so the board keeps its size), edits,
 * moves between groups of the same question, and dots (a Socket.io `vote:cast`, given and taken back).
 */
export class RemoteUpdates {
  private timer: NodeJS.Timeout | null = null;
  private readonly added: { writer: Writer; id: string }[] = [];
  private controls: { socket: ControlSocket; given: string[] }[] = [];
  private readonly rng: Random;
  counts = { posted: 0, deleted: 0, edited: 0, moved: 0, voted: 0 };

  constructor(
    private readonly board: BigBoard,
    private readonly httpUrl: string,
    private readonly perSecond: number,
    seed: number
  ) {
    this.rng = new Random(seed);
  }

  async start(): Promise<void> {
    if (this.controls.length === 0) {
      for (const w of this.board.writers.slice(0, 4)) {
        const socket = await connectControl(this.httpUrl, w.token);
        await socket.emitWithAck('board:join', { boardId: this.board.boardId } as never);
        this.controls.push({ socket, given: [] });
      }
    }
    this.timer = setInterval(() => this.tick(), 1000 / this.perSecond);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  close(): void {
    this.stop();
    for (const c of this.controls) c.socket.close();
  }

  private ownIdeas(writer: Writer): [string, Y.Map<unknown>][] {
    const out: [string, Y.Map<unknown>][] = [];
    writer.client.doc.getMap('ideas').forEach((v, k) => {
      if ((v as Y.Map<unknown>).get('authorId') === writer.participantId) out.push([k, v as Y.Map<unknown>]);
    });
    return out;
  }

  private tick(): void {
    const rng = this.rng;
    const writer = rng.pick(this.board.writers);
    const r = rng.next();
    if (r < 0.3) {
      if (this.added.length >= 20) {
        const { writer: w, id } = this.added.shift()!;
        w.client.doc.getMap('ideas').delete(id);
        this.counts.deleted++;
      } else {
        const q = rng.pick(this.board.questions);
        this.added.push({ writer, id: postIdea(writer.client.doc, writer.who, { text: ideaText(rng), questionId: q.id }) });
        this.counts.posted++;
      }
    } else if (r < 0.6) {
      const [, idea] = rng.pick(this.ownIdeas(writer));
      idea.set('text', ideaText(rng));
      this.counts.edited++;
    } else if (r < 0.85) {
      const [, idea] = rng.pick(this.ownIdeas(writer));
      const inQuestion = this.board.groups.filter((g) => g.questionId === idea.get('questionId'));
      idea.set('clusterId', rng.next() < 0.2 ? null : rng.pick(inQuestion).id);
      this.counts.moved++;
    } else {
      const c = rng.pick(this.controls);
      const doc = this.board.writers[0]!.client.doc;
      const give = c.given.length < 3;
      const targetId = give ? [...doc.getMap('ideas').keys()][rng.int(doc.getMap('ideas').size)]! : c.given.shift()!;
      if (give) c.given.push(targetId);
      void c.socket.emitWithAck('vote:cast', { boardId: this.board.boardId, targetId, delta: give ? 1 : -1 } as never);
      this.counts.voted++;
    }
  }
}
