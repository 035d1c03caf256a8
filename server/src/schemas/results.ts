import { Type, type Static } from '@sinclair/typebox';

/** GET /api/workshops/:code/results: the whole workshop at a glance ("Resultados del taller"). */

const Count = Type.Integer({ minimum: 0 });

export const RankedTarget = Type.Object(
  {
    id: Type.String(),
    kind: Type.Union([Type.Literal('group'), Type.Literal('idea')]),
    title: Type.String({ description: "a group's title or an idea's text" }),
    questionNumber: Type.Integer({ minimum: 1 }),
    dots: Count,
    consensus: Type.Number({ minimum: 0, maximum: 1, description: 'cross-sector support (docs/consensus.md)' }),
    divisive: Type.Boolean()
  },
  { additionalProperties: false }
);

export const BoardResults = Type.Object(
  {
    boardId: Type.String(),
    challenge: Type.Object({ number: Type.Integer(), title: Type.String() }, { additionalProperties: false }),
    ideas: Count,
    groups: Count,
    dots: Count,
    participants: Count,
    /** At most RESULTS_TOP of each, best first. */
    groupsByDots: Type.Array(RankedTarget),
    groupsByConsensus: Type.Array(RankedTarget),
    ideasByDots: Type.Array(RankedTarget),
    ideasByConsensus: Type.Array(RankedTarget)
  },
  { additionalProperties: false }
);

export const SectorContribution = Type.Object(
  {
    sector: Type.String(),
    label: Type.String(),
    people: Count,
    ideas: Count,
    dots: Type.Integer({ minimum: 0, description: 'dots on the boards now (withdrawn ones not counted)' }),
    edits: Type.Integer({ minimum: 0, description: 'changes written to the boards: characters typed and fields set (Yjs operations)' })
  },
  { additionalProperties: false }
);

export const TimelinePoint = Type.Object(
  { at: Type.Integer({ description: 'start of the interval, ms since 1970 UTC' }), ideas: Count, dots: Type.Integer({ minimum: 0, description: 'dots given in the interval' }) },
  { additionalProperties: false }
);

export const WorkshopResults = Type.Object(
  {
    workshop: Type.Object({ code: Type.String(), title: Type.String() }, { additionalProperties: false }),
    publishedAt: Type.Union([Type.Integer(), Type.Null()], { description: 'when the facilitator published them to participants' }),
    generatedAt: Type.Integer(),
    people: Type.Object(
      {
        total: Count,
        bySector: Type.Array(Type.Object({ sector: Type.String(), label: Type.String(), count: Count }, { additionalProperties: false })),
        byComuna: Type.Array(Type.Object({ comuna: Type.String(), count: Count }, { additionalProperties: false }))
      },
      { additionalProperties: false }
    ),
    contribution: Type.Array(SectorContribution),
    timeline: Type.Object({ intervalMinutes: Type.Integer({ minimum: 1 }), points: Type.Array(TimelinePoint) }, { additionalProperties: false }),
    boards: Type.Array(BoardResults)
  },
  { additionalProperties: false }
);

export type RankedTarget = Static<typeof RankedTarget>;
export type BoardResults = Static<typeof BoardResults>;
export type SectorContribution = Static<typeof SectorContribution>;
export type TimelinePoint = Static<typeof TimelinePoint>;
export type WorkshopResults = Static<typeof WorkshopResults>;
