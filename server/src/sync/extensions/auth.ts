import { boardAccess } from '../../auth/board-access.ts';
import type { IncomingMessage } from 'node:http';
import type { Identity, IdentityResolver } from '../../auth/identity.ts';
import { CloseCode } from '../../errors.ts';
import type { WorkshopsRepository } from '../../repositories/workshops.ts';
import { parseDocId } from '../room.ts';

export const YJS_PATH_PREFIX = '/yjs/';

export type UpgradeAuth =
  | { ok: true; docId: string; boardId: string; identity: Identity }
  | { ok: false; code: (typeof CloseCode)[keyof typeof CloseCode]; reason: string };

/**
 * The doc id of a `/yjs/<boardId>`, `/yjs/<boardId>:private:<participantId>` or `/yjs/<boardId>:hidden`
 * URL, or null. Never logs or returns the query (it holds the token).
 */
export function docIdFromUrl(url: string | undefined): string | null {
  if (!url?.startsWith(YJS_PATH_PREFIX)) return null;
  const path = decodeURIComponentSafe(url.slice(YJS_PATH_PREFIX.length).split('?')[0]!);
  return path !== null && /^[a-z0-9]{1,64}(:private:[a-z0-9]{1,64}|:hidden)?$/.test(path) ? path : null;
}

function decodeURIComponentSafe(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

/**
 * Checks the `Origin` header (scheme, host and port) against the app's own origins and the
 * allowlist. Clients that are not browsers send no Origin and are judged by their token alone.
 */
export function originAllowed(req: IncomingMessage, allowed: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    return allowed.includes(new URL(origin).origin);
  } catch {
    return false;
  }
}

/** Decides who may open `/yjs/<boardId>?token=…`: the token must belong to the board's workshop. */
export async function authenticateUpgrade(
  req: IncomingMessage,
  resolveIdentity: IdentityResolver,
  workshops: WorkshopsRepository
): Promise<UpgradeAuth> {
  const docId = docIdFromUrl(req.url);
  if (!docId) return { ok: false, code: CloseCode.BadRequest, reason: 'bad board url' };
  const { boardId, privateOwner, hidden } = parseDocId(docId);
  const token = new URL(req.url!, 'http://localhost').searchParams.get('token');
  if (!token) return { ok: false, code: CloseCode.Unauthorized, reason: 'token missing' };
  const result = await resolveIdentity(token);
  if (!result.ok) return { ok: false, code: CloseCode.Unauthorized, reason: `token ${result.reason}` };
  const access = await boardAccess(workshops, result.identity, boardId);
  if (!access.ok) {
    return access.refusal === 'BOARD_NOT_FOUND'
      ? { ok: false, code: CloseCode.NotFound, reason: 'board not found' }
      : { ok: false, code: CloseCode.Forbidden, reason: 'token of another workshop' };
  }
  if (privateOwner !== null && result.identity.role !== 'facilitator' && result.identity.id !== privateOwner) {
    return { ok: false, code: CloseCode.Forbidden, reason: "another participant's private doc" };
  }
  if (hidden && result.identity.role !== 'facilitator') return { ok: false, code: CloseCode.Forbidden, reason: 'hidden ideas are for facilitators' };
  return { ok: true, docId, boardId, identity: result.identity };
}
