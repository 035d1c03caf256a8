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

/**
 * Verifies a token (synchronous: a signature) and checks in storage that its holder still exists (a
 * removed participant, a rotated facilitator token are refused), hence a promise.
 */
export type IdentityResolver = (token: unknown) => Promise<IdentityResult>;

export function createIdentityResolver(tokens: TokenSigner, workshops: WorkshopsRepository): IdentityResolver {
  return async function resolveIdentity(token) {
    const verified = tokens.verify(token);
    if (!verified.ok) return verified;
    const { claims } = verified;
    if (claims.role === 'facilitator') {
      const workshop = await workshops.byId(claims.wid);
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
    const participant = await workshops.activeParticipant(claims.wid, claims.sub);
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
