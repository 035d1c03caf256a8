import { Type } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';

/** JSON schemas of the Socket.io events clients send (types: server/src/realtime/events.ts). */
const BoardId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z0-9]+$' });

export const BoardJoinPayload = TypeCompiler.Compile(Type.Object({ boardId: BoardId }, { additionalProperties: false }));

export const VoteCastPayload = TypeCompiler.Compile(
  Type.Object(
    {
      boardId: BoardId,
      targetId: Type.String({ minLength: 1, maxLength: 64 }),
      delta: Type.Union([Type.Literal(1), Type.Literal(-1)])
    },
    { additionalProperties: false }
  )
);
