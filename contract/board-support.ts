import { crossSectorSupport, type Ballot, type TargetSupport } from './consensus.ts';

/**
 * Cross-sector support of a board's ideas and groups, read from its `votes` map (keys
 * `<targetId>|<participantId>`, values dots) and its participants' declared sectors. One reading
 * for the server (exports, projector) and the web app (cards, sorting).
 *
 * A group is backed by whoever dotted the group or any idea in it: the same people its
 * "apoyo total" (group dots plus its ideas' dots) counts.
 */
export interface BoardSupportInput {
  votes: Iterable<[string, number]>;
  /** The declared sector of a participant ('' or undefined when unknown). */
  sectorOf: (participantId: string) => string | undefined;
  /** The group an idea is in (null or undefined when ungrouped); undefined for a non-idea target. */
  clusterOf: (ideaId: string) => string | null | undefined;
  ideaIds: Iterable<string>;
  clusterIds: Iterable<string>;
}

export interface BoardSupport {
  ideas: Map<string, TargetSupport>;
  clusters: Map<string, TargetSupport>;
}

/** Splits a `votes` key into its target and voter; null for a key that is not one. */
export function parseVoteKey(key: string): { targetId: string; voterId: string } | null {
  const cut = key.lastIndexOf('|');
  if (cut <= 0 || cut === key.length - 1) return null;
  return { targetId: key.slice(0, cut), voterId: key.slice(cut + 1) };
}

export function boardSupport(input: BoardSupportInput): BoardSupport {
  const ideaBallots: Ballot[] = [];
  const clusterBallots: Ballot[] = [];
  for (const [key, dots] of input.votes) {
    const parsed = parseVoteKey(key);
    if (!parsed || !(dots > 0)) continue;
    const ballot: Ballot = { ...parsed, sector: input.sectorOf(parsed.voterId) ?? '', dots };
    ideaBallots.push(ballot);
    const cluster = input.clusterOf(parsed.targetId);
    // A dot on a group, or on an idea inside one, backs the group.
    clusterBallots.push(cluster ? { ...ballot, targetId: cluster } : ballot);
  }
  const ideaIds = new Set(input.ideaIds);
  const clusterIds = new Set(input.clusterIds);
  // The voters of each sector are the same in both readings: everyone who dotted anything.
  const ideas = crossSectorSupport(ideaBallots, ideaIds);
  const clusters = crossSectorSupport(clusterBallots, clusterIds);
  for (const id of ideas.keys()) if (!ideaIds.has(id)) ideas.delete(id);
  for (const id of clusters.keys()) if (!clusterIds.has(id)) clusters.delete(id);
  return { ideas, clusters };
}
