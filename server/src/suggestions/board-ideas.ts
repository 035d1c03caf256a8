import type * as Y from 'yjs';
import type { IdeaText } from './suggest.ts';

const str = (v: unknown) => (typeof v === 'string' ? v : null);

/**
 * The ideas of a question that suggestions may place: not hidden, and not in a group of that
 * question (an idea whose group is gone, or belongs to another question, shows as ungrouped on
 * the board too). Oldest first, as the board's people wrote them.
 */
export function ungroupedIdeas(doc: Y.Doc, questionId: string): IdeaText[] {
  const clusters = doc.getMap<Y.Map<unknown>>('clusters');
  const found: (IdeaText & { createdAt: number })[] = [];
  for (const [id, idea] of doc.getMap<Y.Map<unknown>>('ideas')) {
    if (typeof idea?.get !== 'function' || idea.get('questionId') !== questionId || idea.get('hidden') === true) continue;
    const text = str(idea.get('text'));
    if (!text) continue;
    const clusterId = str(idea.get('clusterId'));
    const cluster = clusterId ? clusters.get(clusterId) : undefined;
    if (typeof cluster?.get === 'function' && cluster.get('questionId') === questionId) continue;
    const createdAt = idea.get('createdAt');
    found.push({ id, text, createdAt: typeof createdAt === 'number' ? createdAt : 0 });
  }
  return found.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1)).map(({ id, text }) => ({ id, text }));
}
