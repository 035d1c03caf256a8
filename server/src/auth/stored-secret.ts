import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A secret handed to one browser, of which only the SHA-256 hash (hex) is stored. */
export const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');

/** A new random secret and the hash to store for it. */
export function newStoredSecret(bytes: number): { secret: string; hash: string } {
  const secret = randomBytes(bytes).toString('base64url');
  return { secret, hash: hashSecret(secret) };
}

/** Whether `secret` is the one `storedHash` was made from (in constant time). */
export const secretMatches = (secret: string, storedHash: string): boolean =>
  timingSafeEqual(Buffer.from(hashSecret(secret), 'hex'), Buffer.from(storedHash, 'hex'));
