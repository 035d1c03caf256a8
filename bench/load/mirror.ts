import * as Y from 'yjs';

/** Transaction origin of updates that came from the server. */
const FROM_SERVER = Symbol('from-server');

/**
 * A worker's copy of one board. One "feeder" socket per board and worker applies what the server
 * broadcasts; every participant of the worker writes through this doc under its own clientID, so
 * each write is a genuine Yjs update against the board as that worker knows it, at the cost of
 * one doc per worker instead of one per participant.
 */
export class BoardMirror {
  readonly doc = new Y.Doc();
  /** Ideas the server has broadcast (safe to move or vote on: the server knows them). */
  readonly confirmedIdeas: string[] = [];
  /** Per clientID, the clock up to which the server has sent that client's structs back. */
  private readonly confirmedClock = new Map<number, number>();

  constructor() {
    this.doc.getMap('ideas').observe((event) => {
      if (event.transaction.origin !== FROM_SERVER) return;
      for (const [key, change] of event.changes.keys) if (change.action === 'add') this.confirmedIdeas.push(key);
    });
  }

  /** Applies an update from the server (sync step 2 or a broadcast). */
  feed(update: Uint8Array): void {
    Y.applyUpdate(this.doc, update, FROM_SERVER);
    for (const [client, clock] of Y.parseUpdateMeta(update).to) {
      if (clock > (this.confirmedClock.get(client) ?? 0)) this.confirmedClock.set(client, clock);
    }
  }

  /**
   * Whether the server already holds the value this copy has for an idea's field. Another
   * participant of this worker may have just written it; overwriting it then makes an update that
   * depends on theirs, which the server may receive first (on another socket) and refuse.
   */
  settled(ideaId: string, field: string): boolean {
    const idea = this.doc.getMap('ideas').get(ideaId) as Y.Map<unknown> | undefined;
    const item = idea?._map.get(field);
    return !item || item.id.clock < (this.confirmedClock.get(item.id.client) ?? 0);
  }

  /** Runs `change` as the given Yjs client and returns the update it made (null if none). */
  write(clientId: number, change: (doc: Y.Doc) => void): Uint8Array | null {
    this.doc.clientID = clientId;
    let made: Uint8Array | null = null;
    const capture = (update: Uint8Array) => {
      made = made ? Y.mergeUpdates([made, update]) : update;
    };
    this.doc.on('update', capture);
    try {
      this.doc.transact(() => change(this.doc));
    } finally {
      this.doc.off('update', capture);
    }
    return made;
  }
}
