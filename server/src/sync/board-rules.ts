import * as Y from 'yjs';
import {
  CLUSTER_REQUIRED_FIELDS,
  IDEA_OPTIONAL_FIELDS,
  IDEA_REQUIRED_FIELDS,
  IDEA_SIGNATURE_FIELDS,
  isTimestamp,
  MAX_CLUSTER_TITLE_CHARS,
  MAX_CLUSTERS_PER_BOARD,
  MAX_CLUSTERS_PER_PARTICIPANT,
  MAX_COLOR_CHARS,
  MAX_EXTRA_FIELDS,
  MAX_EXTRA_KEYS,
  MAX_EXTRA_VALUE_BYTES,
  MAX_FORMAT_VALUE_BYTES,
  MAX_ID_CHARS,
  MAX_IDEA_CHARS,
  MAX_IDEAS_PER_BOARD,
  MAX_IDEAS_PER_PARTICIPANT,
  MAX_SECTION_CHARS,
  MAX_SECTIONS,
  MAX_TEXT_INSERT_CHARS,
  ROOT_TYPES
} from '../../../contract/board-document.ts';
import type { Identity } from '../auth/identity.ts';
import type { BoardCounts } from './board-counts.ts';
import { refusal, type Refusal } from './refusals.ts';
import type { Write } from './update-inspector.ts';

export interface RuleContext {
  doc: Y.Doc;
  writer: Identity;
  /** Who owns an entry (an idea): its creator, or the author it names when the server created it. */
  ownerOfEntry(entry: Y.ID): string | undefined;
  counts: BoardCounts;
}

/**
 * Judges the writes of one participant update by what they do; null means accepted.
 *
 * Writes are grouped by entry (an idea, a cluster, a section, a key of an unknown root) and by
 * field. A value that arrives already deleted (an offline client overwrote it before sending) is
 * judged as what it does: it displaces the value at its key, which is allowed wherever that
 * writer may write the key. Required fields may be replaced, never removed.
 */
export function checkWrites(writes: readonly Write[], ctx: RuleContext): Refusal | null {
  const entries = groupByEntry(writes);
  if (entries instanceof Refusal_) return entries.refusal;
  const created = { ideas: 0, mine: 0, clusters: 0, sections: 0, extraKeys: 0 };
  for (const e of entries.values()) {
    const refused = judgeEntry(e, ctx, created);
    if (refused) return refused;
  }
  const { counts, writer } = ctx;
  if (created.ideas > 0) {
    if (counts.ideas() + created.ideas > MAX_IDEAS_PER_BOARD) return refusal('BOARD_FULL', 'ideas per board');
    if (writer.role !== 'facilitator' && counts.ideasBy(writer.id) + created.mine > MAX_IDEAS_PER_PARTICIPANT) {
      return refusal('TOO_MANY_IDEAS', `${writer.id} has ${counts.ideasBy(writer.id)}`);
    }
  }
  if (created.clusters > 0 && counts.clusters() + created.clusters > MAX_CLUSTERS_PER_BOARD) return refusal('BOARD_FULL', 'clusters');
  if (created.clusters > 0 && writer.role !== 'facilitator') {
    const mine = clustersBy(ctx, writer.id);
    if (mine + created.clusters > MAX_CLUSTERS_PER_PARTICIPANT) return refusal('TOO_MANY_GROUPS', `${writer.id} created ${mine}`);
  }
  if (created.sections > 0 && sectionCount(ctx.doc) + created.sections > MAX_SECTIONS) return refusal('BOARD_FULL', 'sections');
  if (created.extraKeys > 0 && extraKeyCount(ctx.doc) + created.extraKeys > MAX_EXTRA_KEYS) return refusal('BOARD_FULL', 'unknown keys');
  return null;
}

/**
 * Groups `writer` may still create on the board under MAX_CLUSTERS_PER_PARTICIPANT, as checkWrites
 * counts them; null for facilitators, whom it does not count. (The board's own bound,
 * MAX_CLUSTERS_PER_BOARD, any client reads from its copy of the doc.)
 */
export function groupsLeftFor(ctx: Pick<RuleContext, 'doc' | 'ownerOfEntry'>, writer: Identity): number | null {
  if (writer.role === 'facilitator') return null;
  return Math.max(0, MAX_CLUSTERS_PER_PARTICIPANT - clustersBy(ctx, writer.id));
}

/**
 * Groups on the board that `participantId` created (by who wrote each group's entry). Counted only
 * when an update creates groups or someone asks for suggestions: at most MAX_CLUSTERS_PER_BOARD entries.
 */
function clustersBy(ctx: Pick<RuleContext, 'doc' | 'ownerOfEntry'>, participantId: string): number {
  let n = 0;
  for (const value of ctx.doc.getMap<unknown>('clusters').values()) {
    const entry = value instanceof Y.AbstractType ? value._item?.id : undefined;
    if (entry && ctx.ownerOfEntry(entry) === participantId) n++;
  }
  return n;
}

/** The writes to one entry: the entry itself (depth 1) and each of its fields. */
interface Entry {
  root: string;
  key: string;
  entry: Y.ID | null;
  entryNew: boolean;
  self: Write[];
  fields: Map<string, Write[]>;
  /** Writes into a sequence below the entry (a section's text). */
  slots: Write[];
}

class Refusal_ {
  constructor(readonly refusal: Refusal) {}
}

const entryKey = (root: string, key: string, entry: Y.ID | null) => `${root}\u0000${key}\u0000${entry ? `${entry.client}:${entry.clock}` : ''}`;

function groupByEntry(writes: readonly Write[]): Map<string, Entry> | Refusal_ {
  const entries = new Map<string, Entry>();
  for (const w of writes) {
    if (w.root === null) continue; // lands in deleted or garbage-collected content: no effect
    if (w.root === 'votes') return new Refusal_(refusal('VOTES_SERVER_ONLY'));
    if (w.root === 'participants') return new Refusal_(refusal('PARTICIPANTS_SERVER_ONLY'));
    const [key, field] = w.path;
    if (typeof key !== 'string') return new Refusal_(refusal('INVALID_SHAPE', `${w.root} is a map`));
    const id = entryKey(w.root, key, w.entry);
    let e = entries.get(id);
    if (!e) {
      e = { root: w.root, key, entry: w.entry, entryNew: w.entryNew, self: [], fields: new Map(), slots: [] };
      entries.set(id, e);
    }
    if (w.path.length === 1) e.self.push(w);
    else if (w.path.length > 2) return new Refusal_(refusal('INVALID_SHAPE', `${w.root} path ${w.path.join('/')}`));
    else if (field === null || field === undefined) e.slots.push(w);
    else {
      const list = e.fields.get(field);
      if (list) list.push(w);
      else e.fields.set(field, [w]);
    }
  }
  return entries;
}

type Created = { ideas: number; mine: number; clusters: number; sections: number; extraKeys: number };

function judgeEntry(e: Entry, ctx: RuleContext, created: Created): Refusal | null {
  // Deleting an entry deletes its fields too: those deletes are part of the entry's removal.
  const removed = e.self.some((w) => w.op === 'delete');
  if (removed) {
    e.fields.clear();
    e.slots = [];
  }
  switch (e.root) {
    case 'ideas':
      return judgeIdea(e, ctx, created);
    case 'clusters':
      return judgeCluster(e, ctx, created);
    case 'proposal':
      return judgeSection(e, ctx, created);
    default:
      return judgeExtraKey(e, created);
  }
}

// ——— ideas ———

const IDEA_FIELDS = new Set<string>([...IDEA_REQUIRED_FIELDS, ...IDEA_OPTIONAL_FIELDS]);
const SIGNATURE = new Set<string>(IDEA_SIGNATURE_FIELDS);

function judgeIdea(e: Entry, ctx: RuleContext, created: Created): Refusal | null {
  const { writer } = ctx;
  const owner = e.entry ? ctx.ownerOfEntry(e.entry) : undefined;
  const isOwner = owner === writer.id;
  const mayEdit = isOwner || writer.role === 'facilitator';

  for (const w of e.self) {
    if (w.op === 'delete') {
      if (!mayEdit) return refusal('NOT_YOUR_IDEA', `delete idea ${e.key}`);
      continue;
    }
    if (w.live && !isMapType(w.content)) return refusal('INVALID_SHAPE', `idea ${e.key} is not a map`);
    const displaced = displaces(ctx.doc.getMap('ideas'), e.key, w);
    if (displaced && ctx.ownerOfEntry(displaced) !== writer.id && writer.role !== 'facilitator') {
      return refusal('NOT_YOUR_IDEA', `replace idea ${e.key}`);
    }
    if (w.live) {
      created.ideas++;
      if (isOwner) created.mine++;
      for (const field of IDEA_REQUIRED_FIELDS) {
        if (!hasLiveValue(e.fields.get(field))) return refusal('INVALID_SHAPE', `new idea ${e.key} without ${field}`);
      }
    }
  }
  if (e.slots.length > 0) return refusal('INVALID_SHAPE', `idea ${e.key} is not a map`);

  let extra = 0;
  for (const [field, group] of e.fields) {
    if (field === 'clusterId') {
      // Clustering is shared work: anyone on the board moves any idea.
    } else if (field === 'hidden') {
      // Hiding moves the idea out of the board (session:command hide); a flag would leave it visible.
      return refusal('INVALID_SHAPE', 'hidden is set by the hide command');
    } else if (!mayEdit) {
      return refusal('NOT_YOUR_IDEA', `${field} of idea ${e.key}`);
    } else if (SIGNATURE.has(field) && !isOwner) {
      return refusal('AUTHOR_MISMATCH', `${field} written by non-author`);
    }
    if (!IDEA_FIELDS.has(field) && group.some((w) => w.op === 'insert' && w.live)) extra++;
    for (const w of group) {
      if (w.op !== 'insert' || !w.live) continue;
      const refused = checkIdeaValue(field, w.content, writer);
      if (refused) return refused;
    }
    if ((IDEA_REQUIRED_FIELDS as readonly string[]).includes(field) && !replacedNotRemoved(group)) {
      return refusal('INVALID_SHAPE', `idea ${e.key} would lose its ${field}`);
    }
  }
  if (extra > 0 && extraFieldCount(ctx.doc.getMap('ideas'), e, IDEA_FIELDS) + extra > MAX_EXTRA_FIELDS) {
    return refusal('INVALID_SHAPE', `idea ${e.key} has too many extra fields`);
  }
  return null;
}

function checkIdeaValue(field: string, content: Write['content'], writer: Identity): Refusal | null {
  const v = single(content);
  if (!v.ok) return refusal('INVALID_SHAPE', `idea field ${field} is not a plain value`);
  const value = v.value;
  switch (field) {
    case 'text':
      if (typeof value !== 'string') return refusal('INVALID_SHAPE', 'text is not a string');
      return value.length <= MAX_IDEA_CHARS ? null : refusal('IDEA_TOO_LONG', `${value.length} chars`);
    case 'questionId':
      return isId(value) ? null : refusal('INVALID_SHAPE', 'questionId');
    case 'clusterId':
      return value === null || isId(value) ? null : refusal('INVALID_SHAPE', 'clusterId');
    case 'createdAt':
      return isTimestamp(value) ? null : refusal('INVALID_SHAPE', `createdAt ${String(value).slice(0, 24)}`);
    case 'color':
      return typeof value === 'string' && value.length <= MAX_COLOR_CHARS ? null : refusal('INVALID_SHAPE', 'color');
    case 'authorId':
    case 'authorName':
    case 'sector': {
      const expected = { authorId: writer.id, authorName: writer.name, sector: writer.sector }[field];
      return value === expected ? null : refusal('AUTHOR_MISMATCH', `${field}=${String(value).slice(0, 40)}`);
    }
    default:
      return isSmallValue(value) ? null : refusal('TEXT_TOO_LONG', `extra field ${field}`);
  }
}

// ——— clusters ———

const CLUSTER_FIELDS = new Set<string>([...CLUSTER_REQUIRED_FIELDS, 'createdAt']);

function judgeCluster(e: Entry, ctx: RuleContext, created: Created): Refusal | null {
  // Grouping is shared work: anyone on the board creates, renames or removes a group.
  for (const w of e.self) {
    if (w.op === 'delete' || !w.live) continue;
    if (!isMapType(w.content)) return refusal('INVALID_SHAPE', `cluster ${e.key} is not a map`);
    created.clusters++;
    for (const field of CLUSTER_REQUIRED_FIELDS) {
      if (!hasLiveValue(e.fields.get(field))) return refusal('INVALID_SHAPE', `new cluster ${e.key} without ${field}`);
    }
  }
  if (e.slots.length > 0) return refusal('INVALID_SHAPE', `cluster ${e.key} is not a map`);
  let extra = 0;
  for (const [field, group] of e.fields) {
    if (!CLUSTER_FIELDS.has(field) && group.some((w) => w.op === 'insert' && w.live)) extra++;
    for (const w of group) {
      if (w.op !== 'insert' || !w.live) continue;
      const v = single(w.content);
      if (!v.ok) return refusal('INVALID_SHAPE', `cluster field ${field} is not a plain value`);
      const refused = checkClusterValue(field, v.value);
      if (refused) return refused;
    }
    if ((CLUSTER_REQUIRED_FIELDS as readonly string[]).includes(field) && !replacedNotRemoved(group)) {
      return refusal('INVALID_SHAPE', `cluster ${e.key} would lose its ${field}`);
    }
  }
  if (extra > 0 && extraFieldCount(ctx.doc.getMap('clusters'), e, CLUSTER_FIELDS) + extra > MAX_EXTRA_FIELDS) {
    return refusal('INVALID_SHAPE', `cluster ${e.key} has too many extra fields`);
  }
  return null;
}

function checkClusterValue(field: string, value: unknown): Refusal | null {
  switch (field) {
    case 'title':
      if (typeof value !== 'string') return refusal('INVALID_SHAPE', 'title is not a string');
      return value.length <= MAX_CLUSTER_TITLE_CHARS ? null : refusal('TITLE_TOO_LONG', `${value.length} chars`);
    case 'questionId':
      return isId(value) ? null : refusal('INVALID_SHAPE', 'questionId');
    case 'createdAt':
      return isTimestamp(value) ? null : refusal('INVALID_SHAPE', 'createdAt');
    default:
      return isSmallValue(value) ? null : refusal('TEXT_TOO_LONG', `extra field ${field}`);
  }
}

// ——— proposal sections ———

function judgeSection(e: Entry, ctx: RuleContext, created: Created): Refusal | null {
  const proposal = ctx.doc.getMap('proposal');
  const facilitator = ctx.writer.role === 'facilitator';
  for (const w of e.self) {
    // The server creates every section when a board loads; removing or replacing one would wipe
    // the team's text, so only a facilitator may. Creating a missing one is harmless.
    if (w.op === 'delete') {
      if (!facilitator) return refusal('INVALID_SHAPE', `delete section ${e.key}`);
      continue;
    }
    if (w.live && !isTextType(w.content)) return refusal('INVALID_SHAPE', `proposal ${e.key} is not a text`);
    if (!isId(e.key)) return refusal('INVALID_SHAPE', 'section key');
    if (displaces(proposal, e.key, w) && !facilitator) return refusal('INVALID_SHAPE', `replace section ${e.key}`);
    if (w.live && !proposal.has(e.key)) created.sections++;
  }
  if (e.fields.size > 0) return refusal('INVALID_SHAPE', `proposal ${e.key} is not a text`);
  let inserted = 0;
  for (const w of e.slots) {
    if (w.op === 'delete' || !w.live) continue;
    if (w.content instanceof Y.ContentString) {
      if (w.content.str.length > MAX_TEXT_INSERT_CHARS) return refusal('TEXT_TOO_LONG', `proposal ${e.key}`);
      inserted += w.content.str.length;
    } else if (w.content instanceof Y.ContentFormat) {
      if (w.content.key.length > MAX_ID_CHARS || jsonBytes(w.content.value) > MAX_FORMAT_VALUE_BYTES) {
        return refusal('INVALID_SHAPE', `proposal ${e.key} format`);
      }
    } else {
      return refusal('INVALID_SHAPE', `proposal ${e.key} holds non-text content`);
    }
  }
  if (inserted > 0) {
    const current = e.entryNew ? null : proposal.get(e.key);
    const length = current instanceof Y.Text ? current.length : 0;
    if (length + inserted > MAX_SECTION_CHARS) return refusal('TEXT_TOO_LONG', `section ${e.key} past ${MAX_SECTION_CHARS}`);
  }
  return null;
}

// ——— unknown roots: kept and ignored, if small ———

function judgeExtraKey(e: Entry, created: Created): Refusal | null {
  if (e.fields.size > 0 || e.slots.length > 0) return refusal('INVALID_SHAPE', `${e.root}/${e.key} nests`);
  for (const w of e.self) {
    if (w.op === 'delete' || !w.live) continue;
    const v = single(w.content);
    if (!v.ok) return refusal('INVALID_SHAPE', `${e.root}/${e.key} is not a plain value`);
    if (!isSmallValue(v.value)) return refusal('TEXT_TOO_LONG', `${e.root}/${e.key}`);
    created.extraKeys++;
  }
  return null;
}

// ——— helpers ———

const single = (content: Write['content']): { ok: true; value: unknown } | { ok: false } =>
  content instanceof Y.ContentAny && content.arr.length === 1 ? { ok: true, value: content.arr[0] } : { ok: false };

const isMapType = (content: Write['content']) => content instanceof Y.ContentType && content.type instanceof Y.Map;
const isTextType = (content: Write['content']) => content instanceof Y.ContentType && content.type instanceof Y.Text;
const isId = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= MAX_ID_CHARS;

function jsonBytes(value: unknown): number {
  try {
    return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
  } catch {
    return Infinity;
  }
}

/** A plain value small enough to keep and ignore: null, a boolean, a finite number, a short string or small JSON. */
function isSmallValue(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  return jsonBytes(value) <= MAX_EXTRA_VALUE_BYTES;
}

/** The current value at `key` that an insertion there would push out, if any. */
function displaces(map: Y.Map<unknown>, key: string, w: Write): Y.ID | null {
  const current = (map as unknown as { _map: Map<string, Y.Item> })._map.get(key);
  if (!current || current.deleted || (w.id && Y.compareIDs(current.id, w.id))) return null;
  return current.id;
}

/** Some insertion in the group arrives alive (a required field of a new entry). */
const hasLiveValue = (group: Write[] | undefined) => !!group?.some((w) => w.op === 'insert' && w.live);

/**
 * A required field may be rewritten but never left without a value: when the group removes or
 * overwrites values, every value it leaves last in its chain (the one no other insertion of the
 * group names as its left origin) must arrive alive.
 */
function replacedNotRemoved(group: Write[]): boolean {
  const inserts = group.filter((w) => w.op === 'insert');
  if (inserts.every((w) => w.live) && inserts.length === group.length) return true;
  if (inserts.length === 0) return false;
  const hasSuccessor = (w: Write) =>
    inserts.some((o) => o !== w && o.origin !== null && o.origin.client === w.id!.client && o.origin.clock >= w.id!.clock && o.origin.clock < w.id!.clock + w.length);
  return inserts.every((w) => w.live || hasSuccessor(w));
}

/** Live fields of an existing entry that the contract does not name. */
function extraFieldCount(map: Y.Map<unknown>, e: Entry, known: ReadonlySet<string>): number {
  const current = e.entryNew ? null : map.get(e.key);
  if (!(current instanceof Y.Map)) return 0;
  let n = 0;
  for (const k of current.keys()) if (!known.has(k) && !e.fields.has(k)) n++;
  return n;
}

function sectionCount(doc: Y.Doc): number {
  return doc.getMap('proposal').size;
}

/** Keys held by root maps the contract does not name. */
function extraKeyCount(doc: Y.Doc): number {
  let n = 0;
  for (const [name, type] of doc.share) {
    if ((ROOT_TYPES as readonly string[]).includes(name)) continue;
    for (const item of (type as unknown as { _map: Map<string, Y.Item> })._map.values()) if (!item.deleted) n++;
  }
  return n;
}
