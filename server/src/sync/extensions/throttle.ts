/** A rate: `perSecond` on average, `burst` at once. */
export interface Rate {
  perSecond: number;
  burst: number;
}

interface Bucket {
  tokens: number;
  /** When `tokens` was computed (ms, the throttle's clock). */
  at: number;
}

/** Forget buckets this often (ms): a bucket that has refilled is the same as none. */
const SWEEP_EVERY_MS = 60_000;
/** Past this many keys (≈ 100 bytes each), the oldest are forgotten first. */
const MAX_KEYS = 100_000;

/**
 * Token buckets by key (a participant, an address), kept across connections so that
 * reconnecting does not refill them. Memory stays bounded: full buckets are dropped (a new one
 * would be full too), and the oldest go first past MAX_KEYS.
 */
class Buckets {
  private readonly buckets = new Map<string, Bucket>();
  private lastSweep: number;

  constructor(
    private readonly rate: Rate,
    private readonly now: () => number
  ) {
    this.lastSweep = now();
  }

  get size(): number {
    return this.buckets.size;
  }

  /** The key's bucket as of now, created full. */
  current(key: string, t: number): Bucket {
    const bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= MAX_KEYS) this.buckets.delete(this.buckets.keys().next().value!);
      const fresh = { tokens: this.rate.burst, at: t };
      this.buckets.set(key, fresh);
      return fresh;
    }
    bucket.tokens = Math.min(this.rate.burst, bucket.tokens + ((t - bucket.at) / 1000) * this.rate.perSecond);
    bucket.at = t;
    return bucket;
  }

  sweep(t: number): void {
    if (t - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = t;
    for (const [key, b] of this.buckets) {
      if (b.tokens + ((t - b.at) / 1000) * this.rate.perSecond >= this.rate.burst) this.buckets.delete(key);
    }
  }
}

/** What a socket consults before handling a message. */
export interface Budget {
  /** Takes one message; false when the sender is over its rate. */
  take(): boolean;
}

/**
 * The message budget of one plane: per participant (token subject) and per address, shared by
 * every socket either has open, now or after reconnecting. Cheap enough to run on every message.
 */
export class SocketThrottle {
  private readonly participants: Buckets;
  private readonly addresses: Buckets;

  constructor(
    limits: { perParticipant: Rate; perAddress: Rate },
    private readonly now: () => number = () => performance.now()
  ) {
    this.participants = new Buckets(limits.perParticipant, now);
    this.addresses = new Buckets(limits.perAddress, now);
  }

  /** Takes one message from the address's bucket, and the participant's if given; both or neither. */
  take(address: string, participantId?: string): boolean {
    const t = this.now();
    this.addresses.sweep(t);
    this.participants.sweep(t);
    const a = this.addresses.current(address, t);
    const p = participantId === undefined ? null : this.participants.current(participantId, t);
    if (a.tokens < 1 || (p && p.tokens < 1)) return false;
    a.tokens -= 1;
    if (p) p.tokens -= 1;
    return true;
  }

  /** The budget of one socket. */
  budget(address: string, participantId: string): Budget {
    return { take: () => this.take(address, participantId) };
  }

  /** Buckets held (for tests and figures). */
  get size(): { participants: number; addresses: number } {
    return { participants: this.participants.size, addresses: this.addresses.size };
  }
}

/**
 * One token bucket (`ratePerSecond` on average, `burst` at once) for a budget that belongs to a
 * single connection, such as the bytes of presence it may have relayed. Cheap on every message.
 */
export class Throttle {
  private tokens: number;
  private last: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly now: () => number = () => performance.now()
  ) {
    this.tokens = burst;
    this.last = now();
  }

  /** Takes `cost` tokens (one message by default); false when over the rate. */
  take(cost = 1): boolean {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.ratePerSecond);
    this.last = t;
    if (this.tokens < cost) return false;
    this.tokens -= cost;
    return true;
  }
}
