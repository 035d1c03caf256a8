import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { MingaError, notFound } from '../../errors.ts';
import { boardCaller } from '../../plugins/app/board-routes.ts';
import { BoardParams } from '../../schemas/boards.ts';
import { errorResponses } from '../../schemas/common.ts';
import { SuggestionsQuery, SuggestionsResponse } from '../../schemas/suggestions.ts';
import { participantsMaySuggest } from '../../sessions/session-state.ts';
import { ungroupedIdeas } from '../../suggestions/board-ideas.ts';
import { MAX_SUGGESTION_IDEAS } from '../../suggestions/limits.ts';
import { createSuggestionMemo } from '../../suggestions/memo.ts';

const QUESTION = { es: 'esa pregunta en este tablero', en: 'Question on this board' };

const notAllowed = () =>
  new MingaError(
    'SUGGESTIONS_NOT_ALLOWED',
    403,
    'Solo quien facilita puede pedir sugerencias de grupos, salvo que las habilite para todos en la fase de agrupación.',
    'Only the facilitator can ask for suggested groups, unless they allow everyone to during the clustering phase.'
  );

const tooMany = (count: number) =>
  new MingaError(
    'TOO_MANY_IDEAS',
    422,
    `Esta pregunta tiene ${count} ideas sin grupo; las sugerencias trabajan con hasta ${MAX_SUGGESTION_IDEAS}. Agrupa algunas a mano y vuelve a pedirlas.`,
    `This question has ${count} ungrouped ideas; suggestions work with up to ${MAX_SUGGESTION_IDEAS}. Group some by hand and ask again.`
  );

const WARMUP_IDEAS = [
  { id: 'a', text: 'Riego por goteo para los agricultores' },
  { id: 'b', text: 'Más riego tecnificado en los huertos' }
];

/**
 * `GET /api/boards/:boardId/suggestions?questionId=…`: suggested groups for the question's
 * ungrouped ideas, computed from the live board. Writes nothing.
 */
const suggestions: FastifyPluginAsyncTypebox = async (app) => {
  // The clustering (a stemmer, stop words, hierarchical clustering) is imported on the first
  // request, so starting the server never loads it (issue 10: restart time).
  const engine = () => import('../../suggestions/suggest.ts');
  let memo: ReturnType<typeof createSuggestionMemo> | undefined;
  const suggester = async () => (memo ??= createSuggestionMemo((await engine()).suggestGroups));
  // ... and a while after the server starts listening, then run once on two ideas (so its code is
  // compiled too): nobody's first request pays for either.
  let warmup: ReturnType<typeof setTimeout> | undefined;
  app.addHook('onListen', async () => {
    warmup = setTimeout(() => {
      const started = performance.now();
      engine()
        .then(({ suggestGroups }) => {
          suggestGroups({ question: '¿Cómo?', ideas: WARMUP_IDEAS });
          app.log.info({ ms: Math.round(performance.now() - started) }, 'suggestions engine loaded');
        })
        .catch((err: unknown) => app.log.error({ err }, 'suggestions engine failed to load'));
    }, app.config.suggestionsWarmupMs);
    warmup.unref();
  });
  app.addHook('onClose', async () => clearTimeout(warmup));
  app.get(
    '/boards/:boardId/suggestions',
    {
      config: { boardAccess: 'member' },
      schema: {
        params: BoardParams,
        querystring: SuggestionsQuery,
        response: { 200: SuggestionsResponse, ...errorResponses(400, 401, 403, 404, 422) }
      }
    },
    async (req, reply) => {
      const { identity: me, board } = boardCaller(req);
      if (me.role !== 'facilitator' && !participantsMaySuggest(app.sessions.get(board.id))) throw notAllowed();
      const question = (await app.challenges.get(board.challengeId))?.questions.find((q) => q.id === req.query.questionId);
      if (!question) throw notFound(QUESTION);

      const suggest = await suggester();
      const room = await app.rooms.acquire(board.id);
      try {
        const ideas = ungroupedIdeas(room.doc, question.id);
        if (ideas.length > MAX_SUGGESTION_IDEAS) throw tooMany(ideas.length);
        const started = performance.now();
        const { result, reused } = suggest(`${board.id}|${question.id}`, { question: question.text, ideas });
        req.log.info(
          { boardId: board.id, questionId: question.id, ideas: ideas.length, groups: result.groups.length, reused, ms: Math.round(performance.now() - started) },
          'groups suggested'
        );
        // Counted at each request (not memoised): the groups this person made since count against them.
        return reply.header('cache-control', 'no-store').send({ ...result, groupsLeft: room.groupsLeft(me) });
      } finally {
        app.rooms.release(room);
      }
    }
  );
};
export default suggestions;
