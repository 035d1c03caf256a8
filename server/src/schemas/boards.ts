import { Type, type Static } from '@sinclair/typebox';
import { Challenge } from './challenges.ts';

export const BoardParams = Type.Object({ boardId: Type.String({ minLength: 1, maxLength: 64 }) });
export type BoardParams = Static<typeof BoardParams>;

export const TeamBody = Type.Object({ teamName: Type.Union([Type.String({ maxLength: 120 }), Type.Null()]) }, { additionalProperties: false });

export const BoardView = Type.Object({
  id: Type.String(),
  url: Type.String(),
  teamName: Type.Union([Type.String(), Type.Null()]),
  workshop: Type.Object({ code: Type.String(), title: Type.String() }),
  challenge: Challenge
});
