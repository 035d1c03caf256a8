import type { FastifyRequest } from 'fastify';
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
