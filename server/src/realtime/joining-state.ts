import type { FastifyInstance } from 'fastify';
import type { JoiningState } from './events.ts';
import { facilitatorsRoom } from './socket-types.ts';

export function joiningState(app: FastifyInstance, workshopId: string): JoiningState {
  return {
    policy: app.joining.policy(workshopId),
    waiting: app.joining.waiting(workshopId).map(({ id, name, sector, comuna, createdAt }) => ({ id, name, sector, comuna, createdAt }))
  };
}

/** Tells the workshop's control rooms who may join now and who is waiting. */
export function announceJoining(app: FastifyInstance, workshopId: string): JoiningState {
  const state = joiningState(app, workshopId);
  app.io.to(facilitatorsRoom(workshopId)).emit('joining:state', state);
  return state;
}
