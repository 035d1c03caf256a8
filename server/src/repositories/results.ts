export interface VoteEvent {
  boardId: string;
  participantId: string;
  delta: number;
  createdAt: number;
}

export interface Person {
  id: string;
  sector: string;
  comuna: string;
  createdAt: number;
}

/**
 * What the workshop's results read besides the board docs: vote times, people, publication.
 * One implementation per engine (sqlite/, pg/).
 */
export interface ResultsRepository {
  recordVote(boardId: string, participantId: string, delta: 1 | -1): Promise<void>;
  /** Dots given and withdrawn on these boards, oldest first. */
  voteEvents(boardIds: string[]): Promise<VoteEvent[]>;
  /** Everyone who joined the workshop (removed people included: they took part). */
  people(workshopId: string): Promise<Person[]>;
  /** Who owns each Yjs clientID of a board (participants' writes and presence bind them). */
  clientOwners(boardId: string): Promise<Map<number, string>>;
  /** Publishes (now) or withdraws the workshop's results; returns when they were published, or null. */
  setPublished(workshopId: string, published: boolean): Promise<number | null>;
}
