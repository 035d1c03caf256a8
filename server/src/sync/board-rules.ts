import * as Y from 'yjs';
import type { Identity } from '../auth/identity.ts';
import { refusal, type Refusal } from './refusals.ts';
import type { Write } from './update-inspector.ts';

/** Bounds of the board document contract (DESIGN.md). */
export const MAX_IDEA_CHARS = 500;
export const MAX_CLUSTER_TITLE_CHARS = 120;
export const MAX_ID_CHARS = 64;
/** One insertion into a proposal section (a long paste); messages are bounded in bytes too. */
export const MAX_TEXT_INSERT_CHARS = 50_000;

export interface RuleContext {
  doc: Y.Doc;
  writer: Identity;
  /** Who owns an entry (an idea): its creator, or the author it names when the server created it. */
  ownerOfEntry(entry: Y.ID): string | undefined;
}

/** Fields of an idea that only mirror its author; they must equal the author's identity. */
const SIGNATURE_FIELDS = new Set(['authorId', 'authorName', 'sector']);

const single = (content: Write['content']): { ok: true; value: unknown } | { ok: false } =>
  content instanceof Y.ContentAny && content.arr.length === 1 ? { ok: true, value: content.arr[0] } : { ok: false };

const isMapType = (content: Write['content']) => content instanceof Y.ContentType && content.type instanceof Y.Map;
const isTextType = (content: Write['content']) => content instanceof Y.ContentType && content.type instanceof Y.Text;

/** Judges the writes of one participant update; null means accepted. */
export function checkWrites(writes: readonly Write[], ctx: RuleContext): Refusal | null {
  for (const w of writes) {
    const refused = checkWrite(w, ctx);
    if (refused) return refused;
  }
  return null;
}

function checkWrite(w: Write, ctx: RuleContext): Refusal | null {
  if (w.root === null) return null; // lands in garbage-collected content: no effect
  switch (w.root) {
    case 'votes':
      return refusal('VOTES_SERVER_ONLY');
    case 'participants':
      return refusal('PARTICIPANTS_SERVER_ONLY');
    case 'ideas':
      return checkIdeaWrite(w, ctx);
    case 'clusters':
      return checkClusterWrite(w);
    case 'proposal':
      return checkProposalWrite(w);
    default:
      return null; // unknown keys are kept and ignored
  }
}

function isOwner(entry: Y.ID | null, ctx: RuleContext): boolean {
  return entry !== null && ctx.ownerOfEntry(entry) === ctx.writer.id;
}

function checkIdeaWrite(w: Write, ctx: RuleContext): Refusal | null {
  const [key, field] = w.path;
  if (typeof key !== 'string' || w.path.length > 2) return refusal('INVALID_SHAPE', `ideas path ${w.path.join('/')}`);
  const mayEdit = isOwner(w.entry, ctx) || ctx.writer.role === 'facilitator';

  if (w.path.length === 1) {
    if (w.op === 'delete') return mayEdit ? null : refusal('NOT_YOUR_IDEA', `delete idea ${key}`);
    if (!isMapType(w.content)) return refusal('INVALID_SHAPE', `idea ${key} is not a map`);
    // Setting ideas[key] again replaces the current idea: only its owner may.
    const current = (ctx.doc.getMap('ideas') as unknown as { _map: Map<string, Y.Item> })._map.get(key);
    if (current && !current.deleted && current.id !== w.entry) {
      const ownsCurrent = ctx.ownerOfEntry(current.id) === ctx.writer.id;
      if (!ownsCurrent && ctx.writer.role !== 'facilitator') return refusal('NOT_YOUR_IDEA', `replace idea ${key}`);
    }
    return null;
  }

  if (typeof field !== 'string') return refusal('INVALID_SHAPE', `idea ${key} is not a map`);
  if (field === 'clusterId') {
    if (w.op === 'delete') return null;
    const v = single(w.content);
    return v.ok && (v.value === null || (typeof v.value === 'string' && v.value.length <= MAX_ID_CHARS))
      ? null
      : refusal('INVALID_SHAPE', 'clusterId');
  }
  if (field === 'hidden') return ctx.writer.role === 'facilitator' ? null : refusal('NOT_YOUR_IDEA', 'hidden is moderation');
  if (!mayEdit) return refusal('NOT_YOUR_IDEA', `${field} of idea ${key}`);
  if (w.op === 'delete') return null;
  const v = single(w.content);
  if (!v.ok) return refusal('INVALID_SHAPE', `idea field ${field} is not a plain value`);
  if (SIGNATURE_FIELDS.has(field)) {
    if (!isOwner(w.entry, ctx)) return refusal('AUTHOR_MISMATCH', `${field} written by non-author`);
    const expected = { authorId: ctx.writer.id, authorName: ctx.writer.name, sector: ctx.writer.sector }[field];
    return v.value === expected ? null : refusal('AUTHOR_MISMATCH', `${field}=${String(v.value).slice(0, 40)}`);
  }
  switch (field) {
    case 'text':
      if (typeof v.value !== 'string') return refusal('INVALID_SHAPE', 'text is not a string');
      return v.value.length <= MAX_IDEA_CHARS ? null : refusal('IDEA_TOO_LONG', `${v.value.length} chars`);
    case 'questionId':
      return typeof v.value === 'string' && v.value.length <= MAX_ID_CHARS ? null : refusal('INVALID_SHAPE', 'questionId');
    case 'createdAt':
      return typeof v.value === 'number' ? null : refusal('INVALID_SHAPE', 'createdAt');
    default:
      return typeof v.value === 'string' && v.value.length > MAX_IDEA_CHARS ? refusal('TEXT_TOO_LONG', field) : null;
  }
}

function checkClusterWrite(w: Write): Refusal | null {
  const [key, field] = w.path;
  if (typeof key !== 'string' || w.path.length > 2) return refusal('INVALID_SHAPE', `clusters path ${w.path.join('/')}`);
  if (w.op === 'delete') return null; // grouping is shared work: anyone may rename or ungroup
  if (w.path.length === 1) return isMapType(w.content) ? null : refusal('INVALID_SHAPE', `cluster ${key} is not a map`);
  if (typeof field !== 'string') return refusal('INVALID_SHAPE', `cluster ${key} is not a map`);
  const v = single(w.content);
  if (!v.ok) return refusal('INVALID_SHAPE', `cluster field ${field} is not a plain value`);
  switch (field) {
    case 'title':
      if (typeof v.value !== 'string') return refusal('INVALID_SHAPE', 'title is not a string');
      return v.value.length <= MAX_CLUSTER_TITLE_CHARS ? null : refusal('TITLE_TOO_LONG', `${v.value.length} chars`);
    case 'questionId':
      return typeof v.value === 'string' && v.value.length <= MAX_ID_CHARS ? null : refusal('INVALID_SHAPE', 'questionId');
    case 'createdAt':
      return typeof v.value === 'number' ? null : refusal('INVALID_SHAPE', 'createdAt');
    default:
      return typeof v.value === 'string' && v.value.length > MAX_IDEA_CHARS ? refusal('TEXT_TOO_LONG', field) : null;
  }
}

function checkProposalWrite(w: Write): Refusal | null {
  const [key, slot] = w.path;
  if (typeof key !== 'string' || w.path.length > 2) return refusal('INVALID_SHAPE', `proposal path ${w.path.join('/')}`);
  if (w.op === 'delete') return null;
  if (w.path.length === 1) return isTextType(w.content) ? null : refusal('INVALID_SHAPE', `proposal ${key} is not a text`);
  if (slot !== null) return refusal('INVALID_SHAPE', `proposal ${key} is not a text`);
  if (w.content instanceof Y.ContentString) {
    return w.content.str.length <= MAX_TEXT_INSERT_CHARS ? null : refusal('TEXT_TOO_LONG', `proposal ${key}`);
  }
  return w.content instanceof Y.ContentFormat ? null : refusal('INVALID_SHAPE', `proposal ${key} holds non-text content`);
}
