import { Type, type Static } from '@sinclair/typebox';

export const Question = Type.Object({ id: Type.String(), text: Type.String() });
export type Question = Static<typeof Question>;

export const Challenge = Type.Object({
  id: Type.String(),
  number: Type.Integer({ minimum: 1 }),
  title: Type.String({ description: 'Sentence case' }),
  sourceTitle: Type.String({ description: 'As printed in the source' }),
  context: Type.String({ description: 'Paragraphs separated by a blank line' }),
  references: Type.Array(Type.String()),
  questions: Type.Array(Question)
});
export type Challenge = Static<typeof Challenge>;

export const ChallengeList = Type.Array(Challenge);

export const Reference = Type.Object({
  sectors: Type.Array(Type.Object({ id: Type.String(), label: Type.Object({ es: Type.String(), en: Type.String() }) })),
  comunas: Type.Array(Type.String())
});
