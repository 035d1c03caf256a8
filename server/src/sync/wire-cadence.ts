/**
 * How often a room writes to its sockets: the pacing of content broadcasts and of presence
 * renewals (issue 10, "the wire"). The server, the tests and bench/ import them from here.
 */

/**
 * Socket writes per millisecond a room may spend on broadcasts over time (100,000/s): one
 * broadcast costs one write per connection, so 100 editors may get one every 1 ms and 500 one
 * every 5 ms. A room refills this budget continuously.
 */
export const BROADCAST_SENDS_PER_MS = 100;
/** The budget a quiet room holds, in ms of refill (3,000 writes): small rooms flush at once. */
export const BROADCAST_BURST_MS = 30;
/** The longest a room holds updates for its budget (ms); `BROADCAST_INTERVAL_MS` overrides it. */
export const BROADCAST_INTERVAL_MS = 30;
/** The room's broadcast pause before issue 10 (`MINGA_BROADCAST_PACING=fixed-pause`): connections / this ms. */
export const FIXED_PAUSE_SENDS_PER_MS = 50;

/**
 * y-protocols' awareness renews an unchanged state every 15 s (half its 30 s timeout), and every
 * renewal reaches every peer: N² messages of presence that says nothing new (yjs#732). The server
 * relays a renewal (same state, only its clock bumped) to the peers only once this long after the
 * client's last relayed state, plus up to PRESENCE_RENEWAL_JITTER_MS per client (so that the
 * clients of a room that joined together do not renew together), checked every
 * PRESENCE_RENEWAL_SWEEP_MS. 21 + 4 + 1 s stays under the peers' 30 s timeout; a changed state is
 * relayed at once, and a removal (or the server's own 30 s timeout) too.
 */
export const PRESENCE_RENEWAL_MS = 21_000;
export const PRESENCE_RENEWAL_JITTER_MS = 4_000;
export const PRESENCE_RENEWAL_SWEEP_MS = 1_000;

/** How a room paces its content broadcasts: the send budget, or the pause of before issue 10 (bench only). */
export type BroadcastPacing = 'token-bucket' | 'fixed-pause';
/** Whether unchanged presence renewals are held back (`paced`) or relayed as they come (bench only). */
export type PresenceRenewals = 'paced' | 'relay-all';
