import type { Room } from '../sync/room.ts';
import type { Rooms } from '../sync/rooms.ts';
import type { BoardStats } from './events.ts';

/**
 * Live figures of a board, from its loaded room and the private docs open for it. During a blind
 * round `ballots` is the count of dots cast so far (the board doc holds none yet).
 */
export function boardStats(room: Room, rooms: Rooms, ballots: number | null = null): BoardStats {
  let privateIdeas = 0;
  for (const other of rooms.all()) {
    if (other.boardId === room.boardId && other.privateOwner !== null) privateIdeas += other.doc.getMap('ideas').size;
  }
  const online = new Set<string>();
  for (const c of room.connections) if (c.identity.role === 'participant') online.add(c.identity.id);
  let votes = ballots ?? 0;
  if (ballots === null) for (const dots of room.doc.getMap<number>('votes').values()) votes += dots;
  return {
    boardId: room.boardId,
    online: online.size,
    ideas: room.doc.getMap('ideas').size,
    privateIdeas,
    clusters: room.doc.getMap('clusters').size,
    votes,
    participants: room.doc.getMap('participants').size
  };
}
