import * as Y from 'yjs';
import { Random } from '../lib/random.ts';

/** The clusters a board starts with, as one Yjs update written under a fixed clientID. */
export const CLUSTERS_PER_BOARD = 6;
const CLUSTER_TITLES = ['Personas', 'Territorio', 'Economía local', 'Educación', 'Salud', 'Medio ambiente'];

export interface BoardSeed {
  update: Uint8Array;
  clusterIds: string[];
  clientId: number;
}

export function boardSeed(seed: number, board: number, questionIds: string[]): BoardSeed {
  const rng = new Random(seed * 7919 + board + 1);
  const doc = new Y.Doc();
  doc.clientID = rng.clientId();
  const clusterIds: string[] = [];
  doc.transact(() => {
    for (let i = 0; i < CLUSTERS_PER_BOARD; i++) {
      const id = `c${rng.id(10)}`;
      clusterIds.push(id);
      const cluster = new Y.Map<unknown>();
      doc.getMap('clusters').set(id, cluster);
      cluster.set('title', CLUSTER_TITLES[i % CLUSTER_TITLES.length]);
      cluster.set('questionId', questionIds[i % questionIds.length]);
      cluster.set('createdAt', 1_700_000_000_000 + i);
    }
  });
  const update = Y.encodeStateAsUpdate(doc);
  const clientId = doc.clientID;
  doc.destroy();
  return { update, clusterIds, clientId };
}
