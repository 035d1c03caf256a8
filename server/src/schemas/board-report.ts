import { Type, type Static } from '@sinclair/typebox';

/**
 * The JSON export of a board (GET /api/boards/:id/export.json): the one source of its shape. The
 * report types the exporters use are derived from it, and `docs/board-export.schema.json` is this
 * schema written out (tests/unit/export-schema.test.ts keeps the file true), so that anyone
 * publishing the data (a municipality's open-data portal) can validate it.
 */

const Text = (description: string) => Type.String({ description });
const Count = (description: string) => Type.Integer({ minimum: 0, description });
const Time = Type.Number({ minimum: 0, description: 'milliseconds since 1970-01-01 UTC (0: unknown)' });

export const SectorSupport = Type.Object(
  {
    voters: Count('people of this sector who put at least one dot anywhere on the board (n_s)'),
    supporters: Count('those of them who put at least one dot on this idea or group (v_s)'),
    share: Type.Number({ minimum: 0, maximum: 1, description: '(v_s + 1) / (n_s + 2)' })
  },
  { additionalProperties: false }
);

const SupportFields = {
  consensus: Type.Number({
    minimum: 0,
    maximum: 1,
    description: 'cross-sector support ("apoyo transversal"): the product of `share` over the sectors that voted (docs/consensus.md); 0 before anyone votes'
  }),
  supportBySector: Type.Record(Type.String(), SectorSupport, { description: 'by sector id (seed/reference.ts), every sector with voters on the board' }),
  divisive: Type.Boolean({ description: 'strongly backed by one sector and hardly by another (docs/consensus.md)' })
};

const DotsBySector = Type.Record(Type.String(), Type.Integer({ minimum: 0 }), { description: "dots by the voter's sector id" });

export const IdeaReport = Type.Object(
  {
    id: Text('the idea id'),
    text: Text('what the person wrote'),
    questionId: Text('the guiding question it answers'),
    clusterId: Type.Union([Type.String(), Type.Null()], { description: 'its group, null when ungrouped' }),
    clusterTitle: Type.Union([Type.String(), Type.Null()]),
    authorName: Text('the name the author gave when joining'),
    sector: Text("the author's declared sector id"),
    comuna: Text("the author's comuna ('' when not given)"),
    votes: Count('dots on this idea'),
    votesBySector: DotsBySector,
    ...SupportFields,
    createdAt: Time
  },
  { additionalProperties: false }
);

export const ClusterReport = Type.Object(
  {
    id: Text('the group id'),
    title: Text('the group title'),
    votes: Count('dots on the group itself'),
    votesBySector: DotsBySector,
    support: Count('dots on the group plus dots on its ideas ("apoyo total")'),
    ...SupportFields,
    ideas: Type.Array(IdeaReport, { description: 'its ideas, most dotted first' })
  },
  { additionalProperties: false, description: 'a group: whoever dotted it or any of its ideas backs it' }
);

export const RankedCluster = Type.Object(
  {
    id: Type.String(),
    title: Type.String(),
    questionId: Type.String(),
    support: Count('as in the group'),
    consensus: Type.Number({ minimum: 0, maximum: 1 }),
    divisive: Type.Boolean()
  },
  { additionalProperties: false }
);

export const VotingRoundReport = Type.Object(
  {
    number: Type.Integer({ minimum: 1, description: 'rounds are numbered from 1 (the open board before any session)' }),
    origin: Type.Union([Type.Literal('abierto'), Type.Literal('votacion')], { description: "'abierto': the open board; 'votacion': a session's voting phase" }),
    blind: Type.Boolean({ description: 'totals were hidden until the reveal (or the round closed)' }),
    budget: Count('dots each person had'),
    startedAt: Time,
    endedAt: Time,
    voters: Count('people who put at least one dot'),
    dots: Count('dots in the round'),
    results: Type.Array(
      Type.Object(
        {
          targetId: Text('the idea or group id'),
          kind: Type.Union([Type.Literal('idea'), Type.Literal('cluster')]),
          label: Text("the idea's text or the group's title when the round closed"),
          dots: Count('dots it got'),
          voters: Count('people who dotted it')
        },
        { additionalProperties: false }
      ),
      { description: 'most dots first' }
    )
  },
  { additionalProperties: false, description: 'a closed voting round; the current round is what `votes` and `ranking` show' }
);

const RunSchema = Type.Object(
  { text: Type.String(), bold: Type.Optional(Type.Boolean()), italic: Type.Optional(Type.Boolean()), underline: Type.Optional(Type.Boolean()) },
  { additionalProperties: false }
);
const ParagraphSchema = Type.Object(
  { kind: Type.Union([Type.Literal('p'), Type.Literal('bullet'), Type.Literal('ordered')]), runs: Type.Array(RunSchema) },
  { additionalProperties: false }
);

export const BoardReport = Type.Object(
  {
    version: Type.Literal(1),
    generatedAt: Type.String({ format: 'date-time' }),
    lang: Type.Union([Type.Literal('es'), Type.Literal('en')]),
    workshop: Type.Object({ code: Type.String(), title: Type.String() }, { additionalProperties: false }),
    teamName: Type.Union([Type.String(), Type.Null()]),
    board: Type.Object({ id: Type.String() }, { additionalProperties: false }),
    challenge: Type.Object(
      {
        id: Type.String(),
        number: Type.Integer(),
        title: Type.String(),
        sourceTitle: Type.String(),
        context: Type.Array(Type.String(), { description: 'paragraphs' }),
        references: Type.Array(Type.String())
      },
      { additionalProperties: false }
    ),
    questions: Type.Array(
      Type.Object(
        { id: Type.String(), text: Type.String(), clusters: Type.Array(ClusterReport, { description: 'most dots first' }), ungrouped: Type.Array(IdeaReport) },
        { additionalProperties: false }
      ),
      { description: 'in the challenge order' }
    ),
    ranking: Type.Object(
      {
        byDots: Type.Array(RankedCluster, { description: 'every group of the board, most dots ("apoyo total") first' }),
        byConsensus: Type.Array(RankedCluster, { description: 'every group of the board, highest cross-sector support first' })
      },
      { additionalProperties: false }
    ),
    participation: Type.Object(
      {
        total: Count('people who joined the board'),
        bySector: Type.Array(Type.Object({ sector: Type.String(), label: Type.String(), count: Count('') }, { additionalProperties: false })),
        byComuna: Type.Array(Type.Object({ comuna: Type.String(), count: Count('') }, { additionalProperties: false }))
      },
      { additionalProperties: false }
    ),
    rounds: Type.Array(VotingRoundReport, { description: 'closed voting rounds, oldest first (empty before a second round opens)' }),
    proposal: Type.Array(Type.Object({ key: Type.String(), label: Type.String(), paragraphs: Type.Array(ParagraphSchema) }, { additionalProperties: false }), {
      description: 'the proposal draft, one entry per section of the Innova Social form'
    }),
    ideas: Type.Array(IdeaReport, { description: 'every idea, by question and time (the annex)' })
  },
  {
    title: 'Minga board export',
    description: 'One board of a Minga workshop: its ideas, groups, votes, cross-sector support, participation and proposal draft.',
    additionalProperties: false
  }
);

export type SectorSupport = Static<typeof SectorSupport>;
export type IdeaReport = Static<typeof IdeaReport>;
export type ClusterReport = Static<typeof ClusterReport>;
export type RankedCluster = Static<typeof RankedCluster>;
export type BoardReport = Static<typeof BoardReport>;
export type VotingRoundReport = Static<typeof VotingRoundReport>;
