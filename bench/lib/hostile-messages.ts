import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { SYNC_STEP1_BURST, SYNC_STEP1_PARTICIPANT_BURST, SYNC_STEP1_PARTICIPANT_INTERVAL_MS } from '../../server/src/sync/limits.ts';
import { parseMessage } from '../../server/src/sync/protocol.ts';
import { Random } from './random.ts';

/**
 * Hostile content-plane messages for the fuzzer (bench/fuzz.ts, tests/integration/fuzz.test.ts):
 * mutated valid sync and awareness messages, random bytes, truncations, huge varints, V2 updates,
 * the published Yjs crash inputs and wrong message types. Seeded: the same seed makes the same
 * cases. Each case says, judged with the server's own parser, whether the server will close the
 * connection after it, so the fuzzer can make it the last message of its connection. Sync step 1s
 * stay within the per-connection and per-participant budgets (limits.ts; the participant's is
 * counted here with a slower refill than the server's), so none of them closes for its rate.
 */

export type CaseKind =
  | 'mutated-update'
  | 'mutated-awareness'
  | 'random-bytes'
  | 'truncated'
  | 'huge-varint'
  | 'v2-update'
  | 'published-crash'
  | 'wrong-type'
  | 'state-vector';

export interface HostileCase {
  kind: CaseKind;
  bytes: Uint8Array;
  /** The server will close the connection after reading it (malformed message or state vector). */
  closes: boolean;
  /** A sync step 1. */
  step1: boolean;
}

/** The published inputs that hung or crashed Yjs decoders (yjs#479, #498, #687), as bytes. */
export const PUBLISHED_CRASH_INPUTS: readonly { name: string; bytes: Uint8Array }[] = [
  // yjs#479: a non-update passed to Y.applyUpdate looped forever in lib0's readVarUint.
  { name: 'yjs#479 garbagedoc', bytes: new Uint8Array(Buffer.from('garbagedoc', 'base64')) },
  // yjs#498: a zero-length buffer did the same.
  { name: 'yjs#498 empty', bytes: new Uint8Array(0) },
  // yjs#687 (and its PR #688's tests): run-length counts that make the decoders loop or allocate
  // without bound. The first is the 27-byte V2 input.
  {
    name: 'yjs#687 too many structs (V2)',
    bytes: new Uint8Array([0, 1, 0, 0, 0, 0, 1, 0, 1, 0, 1, 2, 0, 0, 22, 2, 0, 0, 1, 253, 255, 255, 255, 255, 127, 0, 0])
  },
  {
    name: 'yjs#687 too many updates (V1)',
    bytes: new Uint8Array([
      228, 156, 16, 0, 5, 255, 255, 5, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 237, 0, 0, 0, 1, 1, 0, 254, 184, 194, 233, 173, 135, 217, 18, 0, 0, 1, 1, 255,
      237, 246
    ])
  },
  {
    name: 'yjs#687 too many updates (V2)',
    bytes: new Uint8Array([
      228, 149, 0, 0, 1, 24, 0, 0, 1, 0, 1, 0, 0, 1, 0, 0, 237, 1, 190, 130, 227, 195, 28, 1, 2, 228, 149, 0, 0, 1, 24, 0, 0, 1, 24, 0, 0, 1, 0, 1,
      237, 0
    ])
  },
  {
    name: 'yjs#687 too large GC (V2)',
    bytes: new Uint8Array([
      143, 1, 128, 0, 0, 0, 1, 170, 1, 0, 1, 2, 0, 0, 22, 2, 0, 229, 196, 67, 20, 231, 166, 139, 147, 174, 181, 253, 93, 232, 38, 154, 138, 89, 0, 49,
      213, 15, 18, 1, 48, 0, 0, 0
    ])
  },
  {
    name: 'yjs#687 over the struct limit (V2 apply)',
    bytes: new Uint8Array([
      0, 1, 35, 0, 0, 0, 1, 2, 129, 0, 0, 16, 0, 199, 220, 0, 196, 122, 128, 0, 65, 171, 234, 214, 0, 1, 0, 0, 1, 0, 0, 132, 0, 0, 16, 255, 199, 220,
      255, 0, 0, 0
    ])
  }
];

const SYNC = 0;
const AWARENESS = 1;
const STEP1 = 0;
const STEP2 = 1;
const UPDATE = 2;

const frame = (write: (e: encoding.Encoder) => void) => {
  const e = encoding.createEncoder();
  write(e);
  return encoding.toUint8Array(e);
};
export const syncFrame = (type: number, payload: Uint8Array) =>
  frame((e) => {
    encoding.writeVarUint(e, SYNC);
    encoding.writeVarUint(e, type);
    encoding.writeVarUint8Array(e, payload);
  });
export const awarenessFrame = (payload: Uint8Array) =>
  frame((e) => {
    encoding.writeVarUint(e, AWARENESS);
    encoding.writeVarUint8Array(e, payload);
  });
const awarenessPayload = (entries: { client: number; clock: number; json: string }[]) =>
  frame((e) => {
    encoding.writeVarUint(e, entries.length);
    for (const x of entries) {
      encoding.writeVarUint(e, x.client);
      encoding.writeVarUint(e, x.clock);
      encoding.writeVarString(e, x.json);
    }
  });

/** What the hostile participant may legitimately write, for the mutator to start from. */
export interface Author {
  id: string;
  name: string;
  sector: string;
}

export class HostileMessages {
  private readonly rng: Random;
  private step1OnConnection = 0;
  private step1Tokens = SYNC_STEP1_PARTICIPANT_BURST;
  private step1CountedAt = performance.now();
  private readonly valid: Uint8Array[] = [];

  /**
   * `board` is the board as the hostile client synced it (valid updates are made against it);
   * `author` is the one participant this generator's connections belong to.
   */
  constructor(
    seed: number,
    private readonly author: Author,
    private readonly board: Y.Doc,
    private readonly maxMessageBytes: number
  ) {
    this.rng = new Random(seed);
    for (let i = 0; i < 40; i++) this.valid.push(this.validUpdate());
  }

  /** A new connection: its step-1 allowance starts over. */
  newConnection(): void {
    this.step1OnConnection = 0;
  }

  next(): HostileCase {
    for (;;) {
      const c = this.candidate();
      if (!c.step1 || this.takeStep1()) return c;
    }
  }

  /** Whether a sync step 1 is within both budgets; counts it if so. */
  private takeStep1(): boolean {
    const now = performance.now();
    // Refilled 1.5 times slower than the server's bucket, so the server always has the token.
    this.step1Tokens = Math.min(SYNC_STEP1_PARTICIPANT_BURST, this.step1Tokens + (now - this.step1CountedAt) / (1.5 * SYNC_STEP1_PARTICIPANT_INTERVAL_MS));
    this.step1CountedAt = now;
    if (this.step1OnConnection >= SYNC_STEP1_BURST || this.step1Tokens < 1) return false;
    this.step1OnConnection++;
    this.step1Tokens--;
    return true;
  }

  private candidate(): HostileCase {
    const r = this.rng.next();
    const [kind, bytes] =
      r < 0.3
        ? (['mutated-update', this.mutatedUpdate()] as const)
        : r < 0.45
          ? (['mutated-awareness', this.mutatedAwareness()] as const)
          : r < 0.53
            ? (['random-bytes', new Uint8Array(this.randomBytes(this.rng.int(3) === 0 ? 4_000 : 64))] as const)
            : r < 0.63
              ? (['truncated', this.truncated()] as const)
              : r < 0.71
                ? (['huge-varint', this.hugeVarint()] as const)
                : r < 0.79
                  ? (['v2-update', this.v2()] as const)
                  : r < 0.85
                    ? (['published-crash', this.published()] as const)
                    : r < 0.93
                      ? (['wrong-type', this.wrongType()] as const)
                      : (['state-vector', this.stateVector()] as const);
    return this.judge(kind, bytes);
  }

  /** Whether the server closes after `bytes`, judged with its own parser (connection.ts). */
  private judge(kind: CaseKind, bytes: Uint8Array): HostileCase {
    if (bytes.byteLength > this.maxMessageBytes) return { kind, bytes, closes: true, step1: false };
    let message;
    try {
      message = parseMessage(bytes);
    } catch {
      return { kind, bytes, closes: true, step1: false };
    }
    if (message.type !== 'sync-step1') return { kind, bytes, closes: false, step1: false };
    try {
      Y.decodeStateVector(message.stateVector);
      return { kind, bytes, closes: false, step1: true };
    } catch {
      return { kind, bytes, closes: true, step1: true };
    }
  }

  /** A change the board rules accept or refuse, as a real client would make it. */
  private validUpdate(): Uint8Array {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(this.board));
    const sv = Y.encodeStateVector(doc);
    const ideas = doc.getMap<Y.Map<unknown>>('ideas');
    const pick = this.rng.int(6);
    doc.transact(() => {
      if (pick <= 1 || (pick <= 3 && ideas.size === 0)) {
        const idea = new Y.Map<unknown>();
        ideas.set(`fz${this.rng.id(10)}`, idea);
        idea.set('text', `idea ${this.rng.id(20)}`);
        idea.set('questionId', 'desafio-6-p1');
        idea.set('clusterId', null);
        idea.set('authorId', this.author.id);
        idea.set('authorName', this.author.name);
        idea.set('sector', this.author.sector);
        idea.set('createdAt', 1_700_000_000_000);
      } else if (pick === 2) {
        ideas.get(this.rng.pick([...ideas.keys()]))!.set('clusterId', `c${this.rng.id(6)}`);
      } else if (pick === 3) {
        ideas.delete(this.rng.pick([...ideas.keys()]));
      } else if (pick === 4) {
        doc.getMap('votes').set(`x|${this.author.id}`, 3);
      } else {
        const section = doc.getMap<Y.Text>('proposal').get('problema');
        if (section) section.insert(this.rng.int(section.length + 1), 'texto ');
        else doc.getMap('extra').set('k', this.rng.id(4));
      }
    });
    return Y.encodeStateAsUpdate(doc, sv);
  }

  private mutate(bytes: Uint8Array): Uint8Array {
    const out = [...bytes];
    // Mostly one edit, so that many mutants still decode and reach the board rules.
    const edits = this.rng.int(3) === 0 ? 2 + this.rng.int(3) : 1;
    for (let i = 0; i < edits; i++) {
      const at = this.rng.int(Math.max(1, out.length));
      switch (this.rng.int(6)) {
        case 0:
          out[at] = (out[at] ?? 0) ^ (1 << this.rng.int(8));
          break;
        case 1:
          out[at] = this.rng.int(256);
          break;
        case 2:
          out.splice(at, 0, ...this.randomBytes(1 + this.rng.int(8)));
          break;
        case 3:
          out.splice(at, 1 + this.rng.int(8));
          break;
        case 4:
          out.splice(at, 0, ...out.slice(at, at + 1 + this.rng.int(16)));
          break;
        default:
          // A varint made huge: continuation bits up to the safe-integer limit and beyond.
          out.splice(at, 1, ...Array.from({ length: 1 + this.rng.int(10) }, () => 0xff), 0x7f);
      }
    }
    return new Uint8Array(out);
  }

  private mutatedUpdate(): Uint8Array {
    const base = this.rng.pick(this.valid);
    const update = this.rng.int(5) === 0 ? base : this.mutate(base);
    // Mostly framed correctly (so the update itself is judged), sometimes the frame is hit too.
    const message = syncFrame(this.rng.int(4) === 0 ? STEP2 : UPDATE, update);
    return this.rng.int(8) === 0 ? this.mutate(message) : message;
  }

  private mutatedAwareness(): Uint8Array {
    const entries = Array.from({ length: 1 + this.rng.int(6) }, () => ({
      client: this.rng.int(3) === 0 ? this.rng.clientId() : 1 + this.rng.int(8),
      clock: this.rng.int(1000),
      json: this.rng.pick([
        '{}',
        'null',
        JSON.stringify({ focus: 'desafio-6-p1', user: { id: 'otro', name: 'Suplantación' } }),
        JSON.stringify({ cursor: { anchor: this.rng.id(30) }, pad: 'ñ'.repeat(this.rng.int(900)) }),
        '[1,2,3]',
        '"texto"',
        '{"a":',
        '\u0000\uffff'
      ])
    }));
    const payload = awarenessPayload(entries);
    return this.rng.int(2) === 0 ? awarenessFrame(this.mutate(payload)) : this.mutate(awarenessFrame(payload));
  }

  private randomBytes(maxLength: number): number[] {
    return Array.from({ length: this.rng.int(maxLength + 1) }, () => this.rng.int(256));
  }

  private truncated(): Uint8Array {
    const whole = this.rng.int(2) === 0 ? syncFrame(UPDATE, this.rng.pick(this.valid)) : this.mutatedAwareness();
    return whole.slice(0, this.rng.int(whole.byteLength));
  }

  private hugeVarint(): Uint8Array {
    const huge = () => Array.from({ length: 1 + this.rng.int(11) }, () => 0x80 | this.rng.int(128)).concat([this.rng.int(128)]);
    const shapes: number[][] = [
      [...huge()], // message type
      [SYNC, ...huge()], // sync type
      [SYNC, UPDATE, ...huge(), 1, 2, 3], // payload length
      [SYNC, UPDATE, 2, ...huge(), ...huge()], // update: struct groups, structs
      [SYNC, UPDATE, 9, 1, 1, ...huge(), ...huge(), 4, ...huge()], // update: client, clock, content length
      [SYNC, UPDATE, 7, 0, 1, ...huge(), 1, ...huge(), ...huge()], // delete set
      [AWARENESS, 8, ...huge(), ...huge(), ...huge(), 2, 123, 125], // awareness count, client, clock
      [AWARENESS, 6, 1, 5, 1, ...huge()] // awareness state length
    ];
    return new Uint8Array(this.rng.pick(shapes));
  }

  private v2(): Uint8Array {
    const doc = new Y.Doc();
    const idea = new Y.Map<unknown>();
    doc.getMap('ideas').set(`v2${this.rng.id(6)}`, idea);
    idea.set('text', 'V2');
    idea.set('authorId', this.author.id);
    const v2 = Y.encodeStateAsUpdateV2(doc);
    return syncFrame(this.rng.int(2) === 0 ? UPDATE : STEP2, this.rng.int(2) === 0 ? v2 : this.mutate(v2));
  }

  private published(): Uint8Array {
    const input = this.rng.pick(PUBLISHED_CRASH_INPUTS).bytes;
    switch (this.rng.int(5)) {
      case 0:
        return syncFrame(UPDATE, input);
      case 1:
        return syncFrame(STEP2, input);
      case 2:
        return syncFrame(STEP1, input);
      case 3:
        return awarenessFrame(input);
      default:
        return input;
    }
  }

  private wrongType(): Uint8Array {
    const junk = this.randomBytes(16);
    return new Uint8Array(
      this.rng.pick([
        [2, 0, ...junk], // auth: permission denied, from a client
        [2, 1, ...junk],
        [3], // query awareness
        [3, ...junk],
        [4 + this.rng.int(120), ...junk],
        [0x80 | this.rng.int(128), 1, ...junk],
        [SYNC, 3 + this.rng.int(60), 2, 0, 0],
        [AWARENESS],
        [SYNC]
      ])
    );
  }

  private stateVector(): Uint8Array {
    const sv = this.rng.pick([
      new Uint8Array([0]),
      Y.encodeStateVector(this.board),
      Y.encodeStateVector(new Map([[this.rng.clientId(), this.rng.int(2 ** 30)]]) as never),
      new Uint8Array([1, ...[0xff, 0xff, 0xff, 0xff, 0x0f], 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f]),
      new Uint8Array(this.randomBytes(12))
    ]);
    return syncFrame(STEP1, sv);
  }
}
