import type { FastifyRequest } from 'fastify';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { Config } from './config.ts';

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/;

/** The machine's first non-internal IPv4 address: what phones on the room's Wi-Fi can reach. */
export function lanAddress(): string | null {
  for (const nets of Object.values(networkInterfaces())) {
    for (const net of nets ?? []) if (net.family === 'IPv4' && !net.internal) return net.address;
  }
  return null;
}

/**
 * The origin to put in join links and QR codes: PUBLIC_URL when set; else the address the request
 * came to, except that a facilitator on `localhost` of a server open to the room (HOST=0.0.0.0)
 * gets the machine's LAN address, which phones can open.
 */
export function publicOrigin(config: Config, req: FastifyRequest): string {
  if (config.publicUrl) return config.publicUrl;
  const host = req.host;
  if (LOOPBACK.test(host) && (config.host === '0.0.0.0' || config.host === '::')) {
    const lan = lanAddress();
    const port = host.match(/:(\d+)$/)?.[1];
    if (lan) return `${req.protocol}://${lan}${port ? `:${port}` : ''}`;
  }
  return `${req.protocol}://${host}`;
}

const WILDCARD = new Set(['0.0.0.0', '::']);
const isLoopback = (address: string) => address === '::1' || address.startsWith('127.');
const hostOf = (address: string) => (address.includes(':') ? `[${address}]` : address);

/**
 * The origins a page of this app can have, which alone may open the sockets (besides the
 * ALLOWED_ORIGINS allowlist): PUBLIC_URL when set; else the address the server listens on —
 * every interface's with HOST=0.0.0.0, and `localhost` for a loopback one. Never the request's
 * own Host header, which the page that opens the socket chooses.
 */
export function ownOrigins(config: Config, server: Server): string[] {
  if (config.publicUrl) return [config.publicUrl];
  const bound = server.address() as AddressInfo | null;
  if (!bound) return [];
  const hosts = new Set<string>();
  if (WILDCARD.has(bound.address)) {
    for (const nets of Object.values(networkInterfaces())) for (const net of nets ?? []) hosts.add(hostOf(net.address));
    hosts.add('localhost');
  } else {
    hosts.add(hostOf(bound.address));
    if (isLoopback(bound.address)) hosts.add('localhost');
  }
  return [...hosts].map((host) => new URL(`http://${host}:${bound.port}`).origin);
}
