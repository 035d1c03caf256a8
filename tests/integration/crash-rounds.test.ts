import { describe, expect, it } from 'vitest';
import { CRASH_BEHAVIOUR, durability } from '../../bench/durability.ts';

/**
 * The crash rounds of `npm run bench:crash` (100 rounds there), shortened: the real server process
 * killed with SIGKILL while 50 writers post, edit and move ideas; one round in five killed while a
 * compaction transaction is held open, one in five while a backup copies the database.
 */
describe('crash rounds: kill -9 under load', () => {
  it('loses no seen update in 10 rounds, and after every kill the files pass integrity_check and the whole log replays', async () => {
    const lines: string[] = [];
    const result = await durability('minga', {
      // 10 here to keep `npm test` short (the bench runs 100): one in five during a compaction, one in five during a backup.
      rounds: 10,
      editors: 50,
      workers: 2,
      seed: 20220,
      faults: true,
      behaviour: CRASH_BEHAVIOUR,
      killWindowMs: [800, 2_500],
      log: (line) => lines.push(line)
    });
    if (process.env.MINGA_TEST_LOGS) process.stdout.write(lines.join('\n') + '\n');
    const { rounds } = result;
    expect(rounds).toHaveLength(10);
    expect(rounds.filter((r) => r.kind === 'compaction')).toHaveLength(2);
    expect(rounds.filter((r) => r.kind === 'backup')).toHaveLength(2);
    // Rounds test something: writes were seen before the kill (a starved machine may slow one down).
    expect(rounds.filter((r) => r.seenWrites > 0).length, lines.join('\n')).toBeGreaterThanOrEqual(7);
    for (const r of rounds) {
      const line = lines.find((l) => l.includes(`round ${r.round} (`));
      expect(r, line).toMatchObject({ lostUpdates: 0, lostStructs: 0, integrity: 'ok', replayErrors: 0, refused: 0 });
      if (r.kind === 'backup') expect(r.backup, lines.join('\n')).toMatchObject({ started: true, interrupted: true, completeOk: true });
    }
  }, 900_000);
});
