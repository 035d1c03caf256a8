import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { countLostStructs, inspectCrashedFiles, stateOf } from '../../bench/durability.ts';
import type { WorkerReport } from '../../bench/load/protocol.ts';
import { createDb } from '../../db/client.ts';
import { SqliteBoardStorage } from '../../server/src/sync/storage/sqlite-board-storage.ts';

/** The crash rounds' own checks must be able to fail, or "0 lost" means nothing. */
describe('crash-round checks', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  const report = (seenClocks: [number, number][]) => ({ seenClocks }) as unknown as WorkerReport;

  it('counts a seen struct that the stored doc lacks as lost', () => {
    const doc = new Y.Doc();
    doc.clientID = 7;
    doc.getMap('ideas').set('a', 'uno');
    doc.getMap('ideas').set('b', 'dos');
    expect(countLostStructs([report([[7, 2]])], stateOf([doc]))).toEqual({ seen: 2, lost: 0 });
    expect(countLostStructs([report([[7, 5]]), report([[9, 1]])], stateOf([doc]))).toEqual({ seen: 6, lost: 4 });
  });

  it('finds a log row that does not replay, and replays the others', () => {
    const dir = mkdtempSync(join(tmpdir(), 'minga-checks-'));
    dirs.push(dir);
    const { sqlite, close } = createDb(join(dir, 'minga.db'));
    const log = new SqliteBoardStorage(sqlite);
    const doc = new Y.Doc();
    doc.on('update', (u: Uint8Array) => log.appendNow('good', [u]));
    doc.getMap('ideas').set('a', 'uno');
    doc.getMap('ideas').set('b', 'dos');
    log.appendNow('bad', [new Uint8Array([0xff, 0xff, 0xff])]);
    close();

    const crashed = inspectCrashedFiles(dir, ['good', 'bad']);
    expect(crashed).toMatchObject({ integrity: 'ok', replayErrors: 1, rows: 3, rowsSinceSnapshot: 2 });
    expect(crashed.boards.get('good')?.getMap('ideas').toJSON()).toEqual({ a: 'uno', b: 'dos' });
    expect(crashed.boards.has('bad')).toBe(false);
  });
});
