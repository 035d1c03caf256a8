import { Type, type TProperties } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { JoinPolicy } from './workshops.ts';

/**
 * JSON schemas of the Socket.io events clients send; their types (server/src/realtime/events.ts)
 * are `Static<>` of these, so a payload's shape is written once.
 */
const BoardId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z0-9]+$' });

export const BoardJoinSchema = Type.Object({ boardId: BoardId }, { additionalProperties: false });
export const BoardJoinPayload = TypeCompiler.Compile(BoardJoinSchema);

export const RoundsListPayload = BoardJoinPayload;

export const VoteCastSchema = Type.Object(
  {
    boardId: BoardId,
    targetId: Type.String({ minLength: 1, maxLength: 64 }),
    delta: Type.Union([Type.Literal(1), Type.Literal(-1)])
  },
  { additionalProperties: false }
);
export const VoteCastPayload = TypeCompiler.Compile(VoteCastSchema);

const Minutes = Type.Integer({ minimum: 0, maximum: 240 });
const Plan = Type.Object(
  { ideacion: Type.Optional(Minutes), agrupacion: Type.Optional(Minutes), votacion: Type.Optional(Minutes), discusion: Type.Optional(Minutes) },
  { additionalProperties: false }
);
const Id = Type.String({ minLength: 1, maxLength: 64 });
/** One command's schema: its action (or actions) typed as literals, so `Static<>` keeps them. */
const command = <A extends string, T extends TProperties>(action: A | readonly A[], fields: T) =>
  Type.Object(
    {
      boardId: BoardId,
      action: Type.Unsafe<A>(typeof action === 'string' ? Type.Literal(action) : Type.Union(action.map((a) => Type.Literal(a)))),
      ...fields
    },
    { additionalProperties: false }
  );

/** `session:command` (types: SessionCommand in server/src/realtime/events.ts). */
export const SessionCommandSchema = Type.Union([
    command('start', {
      plan: Type.Optional(Plan),
      privateIdeation: Type.Optional(Type.Boolean()),
      autoAdvance: Type.Optional(Type.Boolean()),
      voteBudget: Type.Optional(Type.Integer({ minimum: 1, maximum: 20 })),
      blindVoting: Type.Optional(Type.Boolean()),
      keepOpenVotes: Type.Optional(Type.Boolean())
    }),
    command(['pause', 'resume', 'next', 'end', 'lock', 'unlock', 'reveal', 'revealVotes'], {}),
    command('round', { blind: Type.Optional(Type.Boolean()) }),
    command('restore', { undoToken: Type.String({ minLength: 1, maxLength: 64 }) }),
    command('extend', { minutes: Type.Union([Type.Integer({ minimum: -60, maximum: -1 }), Type.Integer({ minimum: 1, maximum: 60 })]) }),
    command('follow', { on: Type.Boolean() }),
    command('focus', { questionId: Type.Union([Id, Type.Null()]) }),
    command('remove', { ideaId: Id }),
    command('remove', { participantId: Id }),
    command('hide', { ideaId: Id, hidden: Type.Boolean() }),
    command('suggestions', { allowParticipants: Type.Boolean() })
]);
export const SessionCommandPayload = TypeCompiler.Compile(SessionCommandSchema);

export const WorkshopWatchPayload = TypeCompiler.Compile(Type.Object({}, { additionalProperties: false }));

export const JoiningSetSchema = Type.Object({ policy: JoinPolicy }, { additionalProperties: false });
export const JoiningSetPayload = TypeCompiler.Compile(JoiningSetSchema);

export const JoiningDecideSchema = Type.Object({ requestId: Id, approve: Type.Boolean() }, { additionalProperties: false });
export const JoiningDecidePayload = TypeCompiler.Compile(JoiningDecideSchema);
