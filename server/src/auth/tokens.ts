import { createHmac, timingSafeEqual } from 'node:crypto';

export type Role = 'participant' | 'facilitator';

export interface TokenClaims {
  v: 1;
  role: Role;
  /** Participant id, or `fac-<workshopId>` for the facilitator. */
  sub: string;
  /** Workshop id and join code. */
  wid: string;
  code: string;
  /** Issued / expires, ms since epoch. */
  iat: number;
  exp: number;
  /** Facilitator tokens: the workshop's token generation they were signed for (absent: 0). */
  gen?: number;
}

export type VerifyResult = { ok: true; claims: TokenClaims } | { ok: false; reason: 'malformed' | 'signature' | 'expired' };

const b64 = (buf: Buffer | string) => Buffer.from(buf).toString('base64url');

/** Signs and verifies `base64url(payload).base64url(HMAC-SHA256(payload))` tokens. */
export class TokenSigner {
  constructor(
    private readonly secret: Buffer,
    private readonly now: () => number = Date.now
  ) {}

  sign(claims: Omit<TokenClaims, 'v' | 'iat' | 'exp'>, ttlMs: number): string {
    const iat = this.now();
    const payload = b64(JSON.stringify({ v: 1, ...claims, iat, exp: iat + ttlMs } satisfies TokenClaims));
    return `${payload}.${this.mac(payload)}`;
  }

  verify(token: unknown): VerifyResult {
    if (typeof token !== 'string' || token.length > 2048) return { ok: false, reason: 'malformed' };
    const dot = token.indexOf('.');
    if (dot <= 0 || dot !== token.lastIndexOf('.')) return { ok: false, reason: 'malformed' };
    const payload = token.slice(0, dot);
    const given = Buffer.from(token.slice(dot + 1), 'base64url');
    const expected = Buffer.from(this.mac(payload), 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'signature' };
    let claims: TokenClaims;
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as TokenClaims;
    } catch {
      return { ok: false, reason: 'malformed' };
    }
    if (
      claims?.v !== 1 ||
      (claims.role !== 'participant' && claims.role !== 'facilitator') ||
      typeof claims.sub !== 'string' ||
      typeof claims.wid !== 'string' ||
      typeof claims.exp !== 'number' ||
      (claims.gen !== undefined && !Number.isSafeInteger(claims.gen))
    ) {
      return { ok: false, reason: 'malformed' };
    }
    if (claims.exp <= this.now()) return { ok: false, reason: 'expired' };
    return { ok: true, claims };
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.secret).update(payload).digest('base64url');
  }
}

export const facilitatorId = (workshopId: string) => `fac-${workshopId}`;
