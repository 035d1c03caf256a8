/**
 * The control plane's Socket.io connection, opened the same way by the board, the projector and
 * the control room, with the state of its link for the banners.
 */
import { io } from 'socket.io-client';
import type { ControlSocket } from './commands';

export const ControlLink = {
	/** Before the first connection. */
	Connecting: 'connecting',
	Online: 'online',
	/** Lost (a restart, the Wi-Fi): socket.io-client is trying again by itself. */
	Reconnecting: 'reconnecting',
	/** The server ended it on purpose (the person was removed): no retry. */
	Closed: 'closed'
} as const;
export type ControlLink = (typeof ControlLink)[keyof typeof ControlLink];

/**
 * Opens the socket (to this page's origin unless `url` is given) and reports every change of its
 * link. socket.io-client reconnects by itself after anything but a server-side disconnect, and
 * fires `connect` again: that is where callers re-join their rooms.
 *
 * WebSocket from the start, no HTTP long-polling first: the board needs WebSockets anyway (the
 * content plane), and without polling a socket's requests need not all reach one process when
 * several serve behind a proxy (docs/deploy.md).
 */
export function openControlSocket(token: string, onLink: (link: ControlLink) => void, url?: string): ControlSocket {
	const socket: ControlSocket = io(url, { auth: { token }, transports: ['websocket'] });
	socket.on('connect', () => onLink(ControlLink.Online));
	socket.on('disconnect', () => onLink(socket.active ? ControlLink.Reconnecting : ControlLink.Closed));
	return socket;
}
