import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/src/config.ts';

const base = { DATABASE_PATH: ':memory:', MINGA_SECRET: 'x'.repeat(32) };

describe('DATABASE_URL and REDIS_URL', () => {
  it('are null when unset or empty: SQLite and one process', () => {
    const config = loadConfig({ ...base, DATABASE_URL: '', REDIS_URL: '' });
    expect(config.databaseUrl).toBeNull();
    expect(config.redisUrl).toBeNull();
  });

  it('are kept when their scheme is right', () => {
    const config = loadConfig({ ...base, DATABASE_URL: 'postgresql://minga:pw@db:5432/minga', REDIS_URL: 'redis://cache:6379/0' });
    expect(config.databaseUrl).toBe('postgresql://minga:pw@db:5432/minga');
    expect(config.redisUrl).toBe('redis://cache:6379/0');
  });

  it('refuse another scheme or a non-URL, without repeating the URL (it may hold a password)', () => {
    expect(() => loadConfig({ ...base, DATABASE_URL: 'mysql://u:secretpw@h/db' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, DATABASE_URL: 'mysql://u:secretpw@h/db' })).not.toThrow(/secretpw/);
    expect(() => loadConfig({ ...base, REDIS_URL: 'not a url' })).toThrow(/REDIS_URL is not a URL/);
  });

  it('on PostgreSQL the signing key must come from MINGA_SECRET, shared by every process', () => {
    expect(() => loadConfig({ DATABASE_PATH: ':memory:', DATABASE_URL: 'postgres://h/db' })).toThrow(/MINGA_SECRET/);
  });
});
