import type { FastifyInstance } from 'fastify';
import type { JoiningState } from './events.ts';
import { facilitatorsRoom } from './socket-types.ts';

export async function joiningState(app: FastifyInstance, workshopId: string): Promise<JoiningState> {
  const [policy, waiting] = await Promise.all([app.joining.policy(workshopId), app.joining.waiting(workshopId)]);
  return {
    policy,
    waiting: waiting.map(({ id, name, sector, comuna, createdAt }) => ({ id, name, sector, comuna, createdAt }))
  };
}

/** Tells the workshop's control rooms who may join now and who is waiting. */
export async function announceJoining(app: FastifyInstance, workshopId: string): Promise<JoiningState> {
  const state = await joiningState(app, workshopId);
  app.io.to(facilitatorsRoom(workshopId)).emit('joining:state', state);
  return state;
}
