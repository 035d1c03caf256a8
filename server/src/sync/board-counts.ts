import * as Y from 'yjs';

/**
 * Live counts of a board doc that the rules bound (ideas per author, ideas and clusters per
 * board), kept up to date from the doc's own change events instead of recounted per update.
 */
export interface BoardCounts {
  ideas(): number;
  ideasBy(authorId: string): number;
  clusters(): number;
}

export function countBoard(doc: Y.Doc): BoardCounts {
  const ideas = doc.getMap<unknown>('ideas');
  const clusters = doc.getMap<unknown>('clusters');
  const authorOf = new Map<string, string>();
  const byAuthor = new Map<string, number>();

  const bump = (author: string, by: number) => {
    const n = (byAuthor.get(author) ?? 0) + by;
    if (n > 0) byAuthor.set(author, n);
    else byAuthor.delete(author);
  };
  const track = (key: string) => {
    const before = authorOf.get(key);
    if (before !== undefined) {
      authorOf.delete(key);
      bump(before, -1);
    }
    const value = ideas.get(key);
    if (!(value instanceof Y.Map)) return;
    const author = value.get('authorId');
    const name = typeof author === 'string' ? author : '';
    authorOf.set(key, name);
    bump(name, 1);
  };

  for (const key of ideas.keys()) track(key);
  ideas.observe((event) => {
    for (const key of event.keysChanged) track(key);
  });
  return {
    ideas: () => authorOf.size,
    ideasBy: (authorId) => byAuthor.get(authorId) ?? 0,
    clusters: () => clusters.size
  };
}
