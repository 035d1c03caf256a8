import { normalizeIP } from '@fastify/rate-limit';
import type { IncomingMessage } from 'node:http';

/**
 * The address a socket's request came from, as the rate limits count it; with `trustProxyHops`
 * reverse proxies in front (TRUST_PROXY), the address the outermost trusted one saw — what
 * Fastify's `request.ip` is for REST with `trustProxy: <hops>`. Normalised like
 * @fastify/rate-limit's keys (IPv4-mapped IPv6 as IPv4, IPv6 by its /64 network), so one person
 * counts alike on REST and on both sockets.
 */
export function clientAddress(req: IncomingMessage, trustProxyHops: number): string {
  const chain = [req.socket.remoteAddress ?? ''];
  if (trustProxyHops > 0) {
    const forwarded = req.headers['x-forwarded-for'];
    const hops = (Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? '')).split(',').map((s) => s.trim()).filter(Boolean);
    chain.push(...hops.reverse());
  }
  return normalizeIP(chain[Math.min(trustProxyHops, chain.length - 1)]!);
}
