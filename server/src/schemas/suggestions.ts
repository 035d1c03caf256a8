import { Type, type Static } from '@sinclair/typebox';
import { MAX_ID_CHARS } from '../../../contract/board-document.ts';

export const SuggestionsQuery = Type.Object(
  { questionId: Type.String({ minLength: 1, maxLength: MAX_ID_CHARS }) },
  { additionalProperties: false }
);

export const SuggestedGroup = Type.Object({
  title: Type.String({ description: 'Its most telling words, to accept or rename' }),
  ideaIds: Type.Array(Type.String(), { minItems: 2 }),
  words: Type.Array(Type.String(), { description: 'Words its ideas share: why they were put together' })
});

/** `GET /api/boards/:boardId/suggestions`: nothing is written until someone accepts. */
export const SuggestionsResponse = Type.Object({
  groups: Type.Array(SuggestedGroup),
  unplaced: Type.Array(Type.String(), { description: 'Ideas no other matched closely enough' }),
  groupsLeft: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], {
    description: 'Groups the caller may still create on this board (MAX_CLUSTERS_PER_PARTICIPANT less theirs); null for facilitators, who have no such bound'
  })
});
export type SuggestionsResponse = Static<typeof SuggestionsResponse>;
