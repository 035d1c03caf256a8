import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fuzz, type FuzzTarget } from '../../bench/lib/fuzz-run.ts';
import { api, createWorkshop, join } from '../helpers/clients.ts';
import { startServerProcess, type ServerProcess } from '../helpers/process.ts';

/** The seeded run of `npm test`; bench/fuzz.ts runs 100,000 and more. */
const CASES = 4_000;
const SEED = 9;
const HOSTILE_SOCKETS = 4;
const MAX_MESSAGE_BYTES = 65_536;

describe('fuzzing the content plane of a real server process', () => {
  let dir: string;
  let server: ServerProcess;

  beforeAll(async () => {
    dir = mkdtempSync(joinPath(tmpdir(), 'minga-fuzz-'));
    // The message rate limit would close the hostile sockets long before their cases run out.
    server = await startServerProcess(dir, {
      LOG_LEVEL: 'warn',
      MESSAGES_PER_SECOND: '100000',
      MESSAGE_BURST: '1000000',
      MAX_MESSAGE_BYTES: String(MAX_MESSAGE_BYTES)
    });
  });

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`stays up, answers health, keeps honest clients in sync and bounded in memory through ${CASES} hostile messages`, async () => {
    const ws = await createWorkshop(server.url);
    const who = async (name: string) => {
      const p = await join(server.url, ws.code, { name });
      return { token: p.token, author: { id: p.participantId, name, sector: 'comunidad' } };
    };
    const me = await api<{ id: string }>(server.url, '/api/me', { token: ws.facilitatorToken });
    expect(me.status).toBe(200);
    const target: FuzzTarget = {
      httpUrl: server.url,
      wsUrl: server.wsUrl,
      boardId: ws.boards[0]!.id,
      pid: server.proc.pid!,
      attackers: await Promise.all(Array.from({ length: HOSTILE_SOCKETS }, (_, i) => who(`Mallory ${i}`))),
      writer: await who('Ana'),
      readerToken: (await who('Beto')).token,
      checkerToken: ws.facilitatorToken,
      maxMessageBytes: MAX_MESSAGE_BYTES
    };
    const report = await fuzz(target, { cases: CASES, seed: SEED });
    // Figures for the record; nothing here is asserted about time.
    process.stdout.write(`fuzz: ${JSON.stringify(report)}\n`);

    expect(report.cases).toBe(CASES);
    expect(report.serverAlive).toBe(true);
    expect(report.unexpectedCloses).toEqual([]);
    expect(report.health.failures).toBe(0);
    expect(report.health.samples).toBeGreaterThan(0);
    expect(report.roundTrip.posted).toBeGreaterThan(0);
    expect(report.roundTrip.delivered).toBe(report.roundTrip.posted);
    expect(report.lostIdeas).toBe(0);
    expect(report.converged).toBe(true);
    expect(report.rss.peakMb - report.rss.startMb).toBeLessThan(400);
    // Nothing the server had to log as an error (pino level 50 and up).
    expect(server.output().split('\n').filter((line) => /"level":(50|60)/.test(line))).toEqual([]);
  });
});
