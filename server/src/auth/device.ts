import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * A random id per browser, in an HttpOnly cookie set at join: removing a participant (or refusing a
 * request) bars that browser from the workshop. A new browser, or cleared cookies, gets a new id —
 * approval and closed joining are for that (docs/api.md).
 */
export const DEVICE_COOKIE = 'minga_device';
/** 16 random bytes in base64url: nothing in it needs escaping in a cookie. */
const DEVICE_ID = /^[A-Za-z0-9_-]{22}$/;
/** Chromium keeps a cookie at most 400 days. */
const DEVICE_COOKIE_MAX_AGE_S = 400 * 86_400;

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

/** This browser's device id; a fresh one (set on the reply) if it has none or a malformed one. */
export function deviceOf(req: FastifyRequest, reply: FastifyReply): string {
  const current = cookieValue(req.headers.cookie, DEVICE_COOKIE);
  if (current && DEVICE_ID.test(current)) return current;
  const id = randomBytes(16).toString('base64url');
  const secure = req.protocol === 'https' ? '; Secure' : '';
  reply.header('set-cookie', `${DEVICE_COOKIE}=${id}; Max-Age=${DEVICE_COOKIE_MAX_AGE_S}; Path=/api/workshops; HttpOnly; SameSite=Strict${secure}`);
  return id;
}
