import { customType } from 'drizzle-orm/pg-core';

/**
 * `bytea` read and written as a Node `Buffer`, like the SQLite schema's `blob(…, { mode: 'buffer' })`
 * (drizzle-orm 0.45's pg-core has no bytea column of its own). node-postgres already returns bytea
 * as a Buffer, so no conversion runs either way.
 */
export const bytea = customType<{ data: Buffer; driverData: Buffer }>({
  dataType: () => 'bytea'
});
