import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { COMUNAS, SECTORS } from '../../../../seed/reference.ts';
import { ChallengeList, Reference } from '../../schemas/challenges.ts';

const challenges: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/challenges', { schema: { response: { 200: ChallengeList } } }, () => app.challenges.list());
  app.get('/reference', { schema: { response: { 200: Reference } } }, async () => ({
    sectors: SECTORS.map((s) => ({ id: s.id, label: { ...s.label } })),
    comunas: [...COMUNAS]
  }));
};
export default challenges;
