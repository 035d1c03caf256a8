/**
 * What one content-plane connection may make the server do, beyond the message size and rate of
 * `config.ts`. The server enforces these; tests and bench/ import them from here.
 */

/** One presence (awareness) state: the client's JSON, in UTF-8 bytes. Cursors and focus take ~300. */
export const MAX_PRESENCE_STATE_BYTES = 1024;

/**
 * ClientIDs one connection may speak for on awareness. A client sets only its own state (one
 * clientID per doc); the spare ones cover a client that replaces its doc on the same socket.
 */
export const MAX_PRESENCE_CLIENTS_PER_CONNECTION = 4;

/** Entries in one awareness message; a message with more is dropped whole (no client sends one). */
export const MAX_PRESENCE_ENTRIES_PER_MESSAGE = MAX_PRESENCE_CLIENTS_PER_CONNECTION;

/**
 * Presence one connection may have relayed, in bytes of state per second and as a burst: the most
 * it can make the server send to each peer. A cursor moving while someone types is ~3 KB/s.
 * States over the budget are dropped; the client's next change (or its 15 s renewal) goes through.
 */
export const PRESENCE_BYTES_PER_SECOND = 8 * 1024;
export const PRESENCE_BURST_BYTES = 16 * 1024;

/**
 * ClientIDs one participant may bind to itself on one board through presence alone (each page load
 * makes one). Bindings are durable (board_clients), so this bounds what a token can add to the table.
 */
export const MAX_PRESENCE_BINDINGS_PER_PARTICIPANT = 1000;

/**
 * Sync step 1 (a full or partial state request) per connection: y-websocket sends one when it
 * connects. A burst, then one per this many ms; more closes the connection (RateLimited).
 */
export const SYNC_STEP1_BURST = 3;
export const SYNC_STEP1_INTERVAL_MS = 5_000;

/**
 * The same per participant and board, over all its connections, so that reconnecting does not
 * buy a flooder more full boards: enough for several devices and a flaky phone's reconnects.
 */
export const SYNC_STEP1_PARTICIPANT_BURST = 10;
export const SYNC_STEP1_PARTICIPANT_INTERVAL_MS = 3_000;
