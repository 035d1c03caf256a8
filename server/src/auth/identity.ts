import type { SectorId } from '../../../seed/reference.ts';
import type { WorkshopsRepository } from '../repositories/workshops.ts';
import { facilitatorId, type Role, type TokenSigner } from './tokens.ts';

/** Who is behind a verified token, as every plane sees them. */
export interface Identity {
  role: Role;
  /** Participant id, or `fac-<workshopId>`. */
  id: string;
  workshopId: string;
  workshopCode: string;
  name: string;
  sector: SectorId;
  comuna: string;
}

export const FACILITATOR_NAME = 'Facilitación';

export type IdentityResult = { ok: true; identity: Identity } | { ok: false; reason: 'malformed' | 'signature' | 'expired' | 'revoked' };

/** Verifies a token and checks that its holder still exists (a removed participant is refused). */
export function createIdentityResolver(tokens: TokenSigner, workshops: WorkshopsRepository) {
  return function resolveIdentity(token: unknown): IdentityResult {
    const verified = tokens.verify(token);
    if (!verified.ok) return verified;
    const { claims } = verified;
    if (claims.role === 'facilitator') {
      const workshop = workshops.byId(claims.wid);
      // A rotation (a new generation) revokes every facilitator token signed before it.
      if (!workshop || claims.sub !== facilitatorId(workshop.id) || (claims.gen ?? 0) !== workshop.facilitatorTokenGen) {
        return { ok: false, reason: 'revoked' };
      }
      return {
        ok: true,
        identity: {
          role: 'facilitator',
          id: claims.sub,
          workshopId: workshop.id,
          workshopCode: workshop.code,
          name: FACILITATOR_NAME,
          sector: 'otro',
          comuna: ''
        }
      };
    }
    const participant = workshops.activeParticipant(claims.wid, claims.sub);
    if (!participant) return { ok: false, reason: 'revoked' };
    return {
      ok: true,
      identity: {
        role: 'participant',
        id: participant.id,
        workshopId: participant.workshopId,
        workshopCode: claims.code,
        name: participant.name,
        sector: participant.sector as SectorId,
        comuna: participant.comuna
      }
    };
  };
}

export type IdentityResolver = ReturnType<typeof createIdentityResolver>;
