import { describe, expect, it } from 'vitest';
import { TokenSigner } from '../../server/src/auth/tokens.ts';
import { isJoinCode, JOIN_CODE_ALPHABET, newId, newJoinCode, normalizeJoinCode } from '../../server/src/auth/ids.ts';

const secret = Buffer.from('x'.repeat(32));
const claims = { role: 'participant' as const, sub: 'p1', wid: 'w1', code: 'ABCDEF' };

describe('TokenSigner', () => {
  it('verifies what it signed and returns the claims', () => {
    const signer = new TokenSigner(secret, () => 1_000);
    const result = signer.verify(signer.sign(claims, 60_000));
    expect(result).toEqual({ ok: true, claims: { v: 1, ...claims, iat: 1_000, exp: 61_000 } });
  });

  it('refuses a token whose payload was changed', () => {
    const signer = new TokenSigner(secret);
    const [payload, mac] = signer.sign(claims, 60_000).split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), role: 'facilitator' })).toString('base64url');
    expect(signer.verify(`${forged}.${mac}`)).toEqual({ ok: false, reason: 'signature' });
  });

  it('refuses a token signed with another key', () => {
    const other = new TokenSigner(Buffer.from('y'.repeat(32)));
    expect(new TokenSigner(secret).verify(other.sign(claims, 60_000))).toEqual({ ok: false, reason: 'signature' });
  });

  it('refuses an expired token', () => {
    let now = 0;
    const signer = new TokenSigner(secret, () => now);
    const token = signer.sign(claims, 1_000);
    now = 1_000;
    expect(signer.verify(token)).toEqual({ ok: false, reason: 'expired' });
  });

  it.each([undefined, 42, '', 'abc', 'a.b.c', '.x', 'x'.repeat(5000)])('refuses the malformed token %j', (token) => {
    expect(new TokenSigner(secret).verify(token).ok).toBe(false);
  });
});

describe('join codes', () => {
  it('are six characters without 0, O, 1 or I', () => {
    for (let i = 0; i < 2_000; i++) {
      const code = newJoinCode();
      expect(code).toMatch(/^[A-Z2-9]{6}$/);
      expect(code).not.toMatch(/[01OIL]/);
      expect(isJoinCode(code)).toBe(true);
    }
    expect(JOIN_CODE_ALPHABET).not.toMatch(/[01OI]/);
  });

  it('accept what a person typed in lower case with spaces or a dash', () => {
    expect(normalizeJoinCode('ab3-d ef')).toBe('AB3DEF');
    expect(isJoinCode(normalizeJoinCode('0OI1AB'))).toBe(false);
  });

  it('come with ids that do not repeat', () => {
    const ids = new Set(Array.from({ length: 10_000 }, newId));
    expect(ids.size).toBe(10_000);
  });
});
