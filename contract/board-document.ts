/**
 * Bounds of the board document contract (DESIGN.md, docs/api.md): one source for the server's
 * rules, the web app's inputs, the tests and the bench. Lengths are in UTF-16 code units
 * (JavaScript's `String.length`), as both sides measure them.
 */

/** The root maps of a board doc. Others are "kept and ignored" (small values only, see below). */
export const ROOT_TYPES = ['ideas', 'clusters', 'votes', 'proposal', 'participants'] as const;

export const MAX_IDEA_CHARS = 500;
export const MAX_CLUSTER_TITLE_CHARS = 120;
export const MAX_ID_CHARS = 64;
/** A colour name or `#rrggbb`. */
export const MAX_COLOR_CHARS = 32;
/** One insertion into a proposal section (a long paste). */
export const MAX_TEXT_INSERT_CHARS = 50_000;
/** A whole proposal section (the longest field of the Innova Social form is far shorter). */
export const MAX_SECTION_CHARS = 50_000;
/** Sections a board's `proposal` map may hold (the form has 8). */
export const MAX_SECTIONS = 32;

/** Ideas one person may have on one board, and a board in all (hundreds are a full workshop). */
export const MAX_IDEAS_PER_PARTICIPANT = 300;
export const MAX_IDEAS_PER_BOARD = 10_000;
export const MAX_CLUSTERS_PER_BOARD = 1_000;
/** Groups one person may create on one board, so that one person cannot use up the board's groups. */
export const MAX_CLUSTERS_PER_PARTICIPANT = 100;

/**
 * Unknown keys (fields of an idea or cluster the contract does not name, keys of root maps it
 * does not name) are kept and ignored, as long as they stay small: a plain value of at most
 * this many bytes of JSON, at most MAX_EXTRA_FIELDS per idea or cluster, MAX_EXTRA_KEYS in all
 * unknown root maps of a board.
 */
export const MAX_EXTRA_VALUE_BYTES = 256;
export const MAX_EXTRA_FIELDS = 8;
export const MAX_EXTRA_KEYS = 256;
/** A formatting attribute in a proposal section (bold, a link…): its JSON value. */
export const MAX_FORMAT_VALUE_BYTES = 2_048;

/**
 * Everything stored for one board (its snapshot plus the updates logged after it). Past this,
 * participants' updates are refused until a facilitator cleans up; 10,000 ideas take ~3 MiB.
 */
export const MAX_BOARD_BYTES = 64 * 1_048_576;

/** `createdAt` is milliseconds since 1970 within what every export can print as a date. */
export const MIN_TIMESTAMP_MS = 0;
export const MAX_TIMESTAMP_MS = Date.UTC(9999, 11, 31);

export const isTimestamp = (v: unknown): v is number =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= MIN_TIMESTAMP_MS && v <= MAX_TIMESTAMP_MS;

/** Fields of an idea that must be present; the three signature fields must equal the author. */
export const IDEA_SIGNATURE_FIELDS = ['authorId', 'authorName', 'sector'] as const;
export const IDEA_REQUIRED_FIELDS = ['text', 'questionId', 'createdAt', ...IDEA_SIGNATURE_FIELDS] as const;
/** `hidden` is not a field clients write: hiding moves an idea out of the board (docs/api.md). */
export const IDEA_OPTIONAL_FIELDS = ['clusterId', 'color'] as const;
export const CLUSTER_REQUIRED_FIELDS = ['title', 'questionId'] as const;
export const CLUSTER_OPTIONAL_FIELDS = ['createdAt'] as const;
