import type { Identity } from '../auth/identity.ts';
import type { Refusal } from './refusals.ts';
import type { Write } from './update-inspector.ts';

/** The smallest socket the sync core needs; `ws` sockets fit, and tests can pass fakes. */
export interface SyncSocket {
  send(data: Uint8Array): void;
  close(code: number, reason: string): void;
}

/** pino's shape, injected so the core never reaches for a global logger. */
export interface Log {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
  child(bindings: object): Log;
}

export interface GateContext {
  boardId: string;
  /** Set for a participant's private ideation doc: its owner's id. */
  privateOwner: string | null;
  writer: Identity;
  writes: readonly Write[];
}

/** Whether the board accepts these content writes from this person now (locks and phases). */
export type WriteGate = (ctx: GateContext) => Refusal | null;

export const openBoard: WriteGate = () => null;

/** Runs a long synchronous operation under a name, so an event-loop stall can say what caused it. */
export type Track = <T>(op: string, detail: object, run: () => T) => T;

export const untracked: Track = (_op, _detail, run) => run();
