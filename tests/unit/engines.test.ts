import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EngineMissingError } from '../helpers/engines/binaries.ts';
import { startPostgres } from '../helpers/engines/postgres.ts';
import { startRedis } from '../helpers/engines/redis.ts';

/*
 * The engine starters on a machine without the engines: no Debian folder to look in and a PATH
 * with nothing on it. A test that needs PostgreSQL or Redis must fail with the package to install,
 * never skip.
 */
describe('engine starters without the engines installed', () => {
  let path: string | undefined;
  beforeEach(() => {
    path = process.env.PATH;
    process.env.PATH = '/nonexistent';
  });
  afterEach(() => {
    process.env.PATH = path;
  });

  it('refuses to start PostgreSQL and names the Debian package to install', async () => {
    const started = startPostgres({ binDirs: [] });
    await expect(started).rejects.toThrow(EngineMissingError);
    await expect(started).rejects.toThrow('apt-get install -y postgresql');
  });

  it('refuses to start Redis and names the Debian package to install', async () => {
    const started = startRedis({ binDirs: [] });
    await expect(started).rejects.toThrow(EngineMissingError);
    await expect(started).rejects.toThrow('apt-get install -y redis-server');
  });
});
