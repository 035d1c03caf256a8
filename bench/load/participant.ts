import { io, type Socket } from 'socket.io-client';
import * as Y from 'yjs';
import type { ClientToServerEvents, ServerToClientEvents } from '../../server/src/realtime/events.ts';
import { nowMicros } from '../lib/clock.ts';
import { Random } from '../lib/random.ts';
import type { BoardInfo, Population, Seat } from '../servers/types.ts';
import { encodeAwarenessState, SyncClient, type SyncClientHandlers } from './client.ts';
import { marker } from './marker.ts';
import type { BoardMirror } from './mirror.ts';
import { ideaText } from './people.ts';
import type { Behaviour } from './protocol.ts';

/** Minga's default dot budget per participant and board. */
const VOTE_BUDGET = 5;
/** An own idea is edited only once the server has surely stored it. */
const EDIT_AFTER_MICROS = 2_000_000;
/** y-protocols' awareness: its check interval (outdatedTimeout / 10) and renewal age (outdatedTimeout / 2). */
const APP_RENEWAL_CHECK_SEC = 3;
const APP_RENEWAL_SEC = 15;
/** App presence: mean seconds between two moves of one's focus to another question's lane. */
const APP_FOCUS_EVERY_SEC = 60;
const COLORS = ['#e07a5f', '#3d405b', '#81b29a', '#f2cc8f', '#118ab2', '#ef476f'];

type ControlSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** What a participant reports back to its worker. */
export interface ParticipantSink {
  nextWriteId(): number;
  /** A write with a latency marker was sent. */
  marked(writeId: number, sendMicros: number, seat: number, ideaId: string, version: number): void;
  /** Any content write was sent. */
  wrote(): void;
  voteAnswered(ms: number, error: string | null): void;
}

interface OwnIdea {
  id: string;
  postedAt: number;
  version: number;
  text: string;
}

/** One simulated participant: a sync socket, optionally a Socket.io socket, and a schedule. */
export class Participant {
  client!: SyncClient;
  control: ControlSocket | null = null;
  readonly clientId: number;
  private readonly rng: Random;
  private readonly own: OwnIdea[] = [];
  private readonly myVotes = new Map<string, number>();
  private dots = 0;
  private awarenessClock = 0;
  private next = { post: 0, edit: 0, move: 0, vote: 0, cursor: 0, presence: 0, focus: Infinity };
  /** App presence: the question this participant works in, and when its state last changed (µs). */
  private focus: string | null = null;
  private presenceSetAt = 0;
  private readonly color: string;

  constructor(
    readonly seat: Seat,
    private readonly board: BoardInfo,
    private readonly mirror: BoardMirror,
    private readonly population: Population,
    private readonly behaviour: Behaviour,
    private readonly sink: ParticipantSink,
    seed: number
  ) {
    this.rng = new Random(seed * 1_000_003 + seat.index);
    this.clientId = this.rng.clientId();
    this.color = this.rng.pick(COLORS);
  }

  async connect(handlers: SyncClientHandlers): Promise<void> {
    this.client = new SyncClient(this.population.protocol, this.seat.url, this.board.docName, handlers);
    await this.client.synced;
    this.sendPresence(null);
    if (this.population.controlUrl && this.seat.controlToken) this.control = await this.connectControl(this.population.controlUrl, this.seat.controlToken);
  }

  private async connectControl(url: string, token: string): Promise<ControlSocket> {
    const socket: ControlSocket = io(url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (err) => reject(err));
    });
    const answer = await socket.emitWithAck('board:join', { boardId: this.board.boardId });
    if (!answer.ok) throw new Error(`board:join refused: ${answer.error.code}`);
    return socket;
  }

  /** Spreads first actions over one mean interval, so participants do not act in lockstep. */
  schedule(from: number): void {
    const b = this.behaviour;
    const sec = 1_000_000;
    this.next = {
      post: from + this.rng.next() * b.ideaEverySec * sec,
      edit: from + this.rng.next() * b.editEverySec * sec + EDIT_AFTER_MICROS,
      move: from + this.rng.next() * b.moveEverySec * sec,
      vote: from + this.rng.next() * b.voteEverySec * sec,
      cursor: b.cursorHz > 0 ? from + (this.rng.next() * sec) / b.cursorHz : Infinity,
      presence: from + this.rng.next() * (b.presence === 'app' ? APP_RENEWAL_CHECK_SEC : b.presenceEverySec) * sec,
      focus: b.presence === 'app' ? from + this.rng.next() * APP_FOCUS_EVERY_SEC * sec : Infinity
    };
  }

  /** Does whatever is due at `now` (µs). */
  tick(now: number): void {
    if (!this.client.isOpen) return;
    const b = this.behaviour;
    const sec = 1_000_000;
    if (now >= this.next.post) {
      this.post();
      this.next.post = now + this.rng.exponential(b.ideaEverySec) * sec;
    }
    if (now >= this.next.edit) {
      this.edit(now);
      this.next.edit = now + this.rng.exponential(b.editEverySec) * sec;
    }
    if (now >= this.next.move) {
      this.move();
      this.next.move = now + this.rng.exponential(b.moveEverySec) * sec;
    }
    if (now >= this.next.vote) {
      this.vote();
      this.next.vote = now + this.rng.exponential(b.voteEverySec) * sec;
    }
    if (now >= this.next.cursor) {
      this.sendPresence({ x: this.rng.int(4000), y: this.rng.int(3000) });
      this.next.cursor += sec / b.cursorHz;
      if (this.next.cursor < now) this.next.cursor = now + sec / b.cursorHz;
      this.next.presence = now + b.presenceEverySec * sec;
    }
    if (now >= this.next.focus) {
      this.moveFocus();
      this.next.focus = now + this.rng.exponential(APP_FOCUS_EVERY_SEC) * sec;
    }
    if (b.presence === 'app') {
      // y-protocols' awareness: a check every 3 s renews a state unchanged for 15 s.
      if (now >= this.next.presence) {
        if (now - this.presenceSetAt >= APP_RENEWAL_SEC * sec) this.sendPresence(null);
        this.next.presence += APP_RENEWAL_CHECK_SEC * sec;
        if (this.next.presence < now) this.next.presence = now + APP_RENEWAL_CHECK_SEC * sec;
      }
    } else if (now >= this.next.presence) {
      this.sendPresence(null);
      this.next.presence = now + b.presenceEverySec * sec;
    }
  }

  private send(update: Uint8Array | null): void {
    if (!update) return;
    this.client.sendUpdate(update);
    this.sink.wrote();
  }

  /** Posts an idea with every field of the board contract, as the web app does. */
  private post(): void {
    const writeId = this.sink.nextWriteId();
    const ideaId = this.rng.id(12);
    const base = ideaText(this.rng, 'la región');
    const sendMicros = nowMicros();
    const text = `${base} ${marker(writeId, sendMicros)}`;
    const { seat } = this;
    const questionId = this.rng.pick(this.board.questionIds);
    const update = this.mirror.write(this.clientId, (doc) => {
      const idea = new Y.Map<unknown>();
      doc.getMap('ideas').set(ideaId, idea);
      idea.set('text', text);
      idea.set('questionId', questionId);
      idea.set('clusterId', null);
      idea.set('authorId', seat.participantId);
      idea.set('authorName', seat.name);
      idea.set('sector', seat.sector);
      idea.set('createdAt', Date.now());
    });
    this.own.push({ id: ideaId, postedAt: sendMicros, version: 0, text: base });
    this.sink.marked(writeId, sendMicros, seat.index, ideaId, 0);
    this.send(update);
  }

  /** App presence: moving to another question's lane sets `focus`, sent at once as awareness does. */
  private moveFocus(): void {
    const others = this.board.questionIds.filter((q) => q !== this.focus);
    if (others.length === 0) return;
    this.focus = this.rng.pick(others);
    this.sendPresence(null);
  }

  /** Rewrites the text of one of one's own ideas. */
  private edit(now: number): void {
    const ready = this.own.filter((i) => now - i.postedAt >= EDIT_AFTER_MICROS);
    if (ready.length === 0) return;
    const idea = this.rng.pick(ready);
    idea.version++;
    const writeId = this.sink.nextWriteId();
    const sendMicros = nowMicros();
    const text = `${idea.text} (editada ${idea.version}) ${marker(writeId, sendMicros)}`;
    const update = this.mirror.write(this.clientId, (doc) => {
      (doc.getMap('ideas').get(idea.id) as Y.Map<unknown> | undefined)?.set('text', text);
    });
    this.sink.marked(writeId, sendMicros, this.seat.index, idea.id, idea.version);
    this.send(update);
  }

  /** Moves anyone's idea into a group (clustering is shared work). */
  private move(): void {
    const ideas = this.mirror.confirmedIdeas;
    if (ideas.length === 0) return;
    const ideaId = this.rng.pick(ideas);
    if (!this.mirror.settled(ideaId, 'clusterId')) return;
    const clusterId = this.rng.pick(this.board.clusterIds);
    this.send(
      this.mirror.write(this.clientId, (doc) => {
        (doc.getMap('ideas').get(ideaId) as Y.Map<unknown> | undefined)?.set('clusterId', clusterId);
      })
    );
  }

  /** One dot on an idea, or one back once the budget is spent. */
  private vote(): void {
    const ideas = this.mirror.confirmedIdeas;
    if (ideas.length === 0) return;
    let targetId: string;
    let delta: 1 | -1;
    if (this.dots < VOTE_BUDGET) {
      targetId = this.rng.pick(ideas);
      delta = 1;
    } else {
      targetId = this.rng.pick([...this.myVotes.keys()]);
      delta = -1;
    }
    const count = (this.myVotes.get(targetId) ?? 0) + delta;
    if (count === 0) this.myVotes.delete(targetId);
    else this.myVotes.set(targetId, count);
    this.dots += delta;
    if (this.control) {
      const started = nowMicros();
      this.control.emit('vote:cast', { boardId: this.board.boardId, targetId, delta }, (answer) => {
        this.sink.voteAnswered((nowMicros() - started) / 1000, answer.ok ? null : answer.error.code);
      });
      this.sink.wrote();
      return;
    }
    // Without a control plane, a plain Yjs app writes the vote into the doc itself.
    const key = `${targetId}|${this.seat.participantId}`;
    this.send(
      this.mirror.write(this.clientId, (doc) => {
        const votes = doc.getMap<number>('votes');
        if (count === 0) votes.delete(key);
        else votes.set(key, count);
      })
    );
  }

  private sendPresence(cursor: { x: number; y: number } | null): void {
    this.presenceSetAt = nowMicros();
    const { seat } = this;
    // The app's own state is `{ focus }`; Minga's server sets `user` from the token (the classic
    // server relays what it gets, so the client sends it there), the same bytes on every server.
    const state =
      this.behaviour.presence === 'app'
        ? { focus: this.focus, user: { id: seat.participantId, name: seat.name, sector: seat.sector, role: 'participant' } }
        : { user: { name: seat.name, color: this.color }, ...(cursor ? { cursor } : {}) };
    this.client.sendAwareness(encodeAwarenessState(this.clientId, ++this.awarenessClock, state));
  }

  close(): void {
    this.client?.close();
    this.control?.disconnect();
  }
}
