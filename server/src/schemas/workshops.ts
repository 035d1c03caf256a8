import { Type, type Static } from '@sinclair/typebox';
import {
  MAX_CHALLENGE_CONTEXT_CHARS,
  MAX_CHALLENGE_NUMBER,
  MAX_CHALLENGE_TITLE_CHARS,
  MAX_CHALLENGES_PER_WORKSHOP,
  MAX_QUESTION_CHARS,
  MAX_QUESTIONS_PER_CHALLENGE,
  MIN_QUESTIONS_PER_CHALLENGE
} from '../../../contract/challenges.ts';
import { JOIN_POLICIES } from '../../../db/schema/workshops.ts';
import { COMUNAS, SECTOR_IDS } from '../../../seed/reference.ts';
import { Id, Line } from './common.ts';

/** Who may join: `open` (anyone with the code), `approval` (a waiting list), `closed` (nobody). */
export const JoinPolicy = Type.Union(JOIN_POLICIES.map((p) => Type.Literal(p)));

/** A challenge the workshop writes for itself (`ChallengeDraft` of contract/challenges.ts). */
export const OwnChallenge = Type.Object(
  {
    title: Line(MAX_CHALLENGE_TITLE_CHARS),
    context: Type.Optional(Type.String({ maxLength: MAX_CHALLENGE_CONTEXT_CHARS })),
    questions: Type.Array(Line(MAX_QUESTION_CHARS), { minItems: MIN_QUESTIONS_PER_CHALLENGE, maxItems: MAX_QUESTIONS_PER_CHALLENGE }),
    number: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_CHALLENGE_NUMBER }))
  },
  { additionalProperties: false }
);

/** Seeded challenges by id and/or the workshop's own: 1..8 in all (checked by the route). */
export const CreateWorkshopBody = Type.Object(
  {
    title: Line(120),
    challengeIds: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: MAX_CHALLENGES_PER_WORKSHOP, uniqueItems: true })),
    challenges: Type.Optional(Type.Array(OwnChallenge, { maxItems: MAX_CHALLENGES_PER_WORKSHOP }))
  },
  { additionalProperties: false }
);
export type CreateWorkshopBody = Static<typeof CreateWorkshopBody>;

export const BoardLink = Type.Object({ id: Type.String(), challengeId: Type.String(), number: Type.Integer(), title: Type.String(), url: Type.String() });

export const CreatedWorkshop = Type.Object({
  workshopId: Type.String(),
  code: Type.String(),
  title: Type.String(),
  facilitatorToken: Type.String(),
  joinUrl: Type.String(),
  boards: Type.Array(BoardLink)
});

/** A new facilitator token (the previous one stops working at once). */
export const FacilitatorToken = Type.Object({ facilitatorToken: Type.String() });

export const CodeParams = Type.Object({ code: Type.String({ minLength: 1, maxLength: 16 }) });
export type CodeParams = Static<typeof CodeParams>;

export const WorkshopView = Type.Object({
  code: Type.String(),
  title: Type.String(),
  createdAt: Type.Integer(),
  joinUrl: Type.String(),
  joining: JoinPolicy,
  boards: Type.Array(
    Type.Object({ id: Type.String(), challengeId: Type.String(), number: Type.Integer(), title: Type.String(), url: Type.String() })
  )
});

export const JoinBody = Type.Object(
  {
    name: Line(60),
    sector: Type.Union(SECTOR_IDS.map((s) => Type.Literal(s))),
    comuna: Type.Union(COMUNAS.map((c) => Type.Literal(c)))
  },
  { additionalProperties: false }
);
export type JoinBody = Static<typeof JoinBody>;

export const Joined = Type.Object({ token: Type.String(), participantId: Type.String() });
export type Joined = Static<typeof Joined>;

/** The workshop asks for approval: the browser keeps `secret` to read the answer of `requestId`. */
export const JoinPending = Type.Object({ status: Type.Literal('pending'), requestId: Type.String(), secret: Type.String() });
export type JoinPending = Static<typeof JoinPending>;

export const JoinRequestParams = Type.Object({ code: Type.String({ minLength: 1, maxLength: 16 }), requestId: Id });

/** What the facilitator answered a waiting person (read with `Authorization: Bearer <secret>`). */
export const JoinAnswer = Type.Union([
  Type.Object({ status: Type.Literal('pending') }),
  Type.Object({ status: Type.Literal('approved'), token: Type.String(), participantId: Type.String() }),
  Type.Object({ status: Type.Literal('refused'), message: Type.String(), messageEn: Type.String() })
]);
export type JoinAnswer = Static<typeof JoinAnswer>;

export const Me = Type.Object({
  role: Type.Union([Type.Literal('participant'), Type.Literal('facilitator')]),
  id: Type.String(),
  workshopCode: Type.String(),
  name: Type.String(),
  sector: Type.String(),
  comuna: Type.String()
});
