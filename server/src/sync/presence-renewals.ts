import {
  PRESENCE_RENEWAL_JITTER_MS,
  PRESENCE_RENEWAL_MS,
  PRESENCE_RENEWAL_SWEEP_MS
} from './wire-cadence.ts';

/**
 * Holds back the presence renewals of a room's clients: y-protocols renews an unchanged state
 * every 15 s and the classic server relays each renewal to every peer (N², yjs#732). Here a
 * renewal (same state, only the clock bumped) is relayed only once PRESENCE_RENEWAL_MS plus the
 * client's own jitter have passed since its state last went out, by a sweep every
 * PRESENCE_RENEWAL_SWEEP_MS: peers still hear of a live client well within their 30 s timeout,
 * about once every 21–26 s instead of every 15–18 s. Changes and removals are not held (the room
 * relays them at once and reports them with `relayed` / `forget`).
 */
export class PresenceRenewals {
  /** clientID → when its state last went out to the peers. */
  private readonly lastRelayed = new Map<number, number>();
  /** clientID → its share of PRESENCE_RENEWAL_JITTER_MS. */
  private readonly jitter = new Map<number, number>();
  /** ClientIDs whose renewal is being held. */
  private readonly held = new Set<number>();
  private sweeper: NodeJS.Timeout | null = null;

  constructor(
    /** Relays the renewals that are due (the room broadcasts their current states). */
    private readonly relay: (clientIds: number[]) => void,
    private readonly now: () => number = () => performance.now(),
    private readonly random: () => number = Math.random
  ) {}

  /** The client's state went out to the peers now (it changed, or its held renewal was relayed). */
  relayed(clientId: number): void {
    this.lastRelayed.set(clientId, this.now());
    if (!this.jitter.has(clientId)) this.jitter.set(clientId, Math.floor(this.random() * PRESENCE_RENEWAL_JITTER_MS));
    this.held.delete(clientId);
  }

  /**
   * The client renewed its unchanged state: true if the renewal should go out now (nothing was
   * relayed for it yet), false if it is held for the sweep.
   */
  renewed(clientId: number): boolean {
    if (!this.lastRelayed.has(clientId)) return true;
    this.held.add(clientId);
    this.sweeper ??= setInterval(this.sweep, PRESENCE_RENEWAL_SWEEP_MS).unref();
    return false;
  }

  /** The client's presence is gone (removed or timed out): nothing of it is held any more. */
  forget(clientId: number): void {
    this.lastRelayed.delete(clientId);
    this.jitter.delete(clientId);
    this.held.delete(clientId);
  }

  /** ClientIDs whose renewal is held now. */
  get holding(): number {
    return this.held.size;
  }

  stop(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = null;
  }

  /** Relays the held renewals whose window has passed. */
  readonly sweep = (): void => {
    const now = this.now();
    const due: number[] = [];
    for (const id of this.held) {
      if ((this.lastRelayed.get(id) ?? -Infinity) + PRESENCE_RENEWAL_MS + (this.jitter.get(id) ?? 0) <= now) due.push(id);
    }
    for (const id of due) this.relayed(id);
    if (this.held.size === 0) this.stop();
    if (due.length > 0) this.relay(due);
  };
}
