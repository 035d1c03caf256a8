import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join as joinPath } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { integrityOf, listBackups } from '../../db/backup.ts';
import { connectBoard, createWorkshop, join, postIdea, type BoardClient } from '../helpers/clients.ts';
import { startServerProcess } from '../helpers/process.ts';
import { startServer } from '../helpers/server.ts';

const ROOT = joinPath(import.meta.dirname, '../..');
const Q = 'desafio-6-p1';
const DATED = /^minga-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z\.db$/;

/** `npm run backup` as an operator runs it (the script itself, without npm's banner). */
function runBackupScript(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', joinPath(ROOT, 'scripts/backup.ts')], { cwd: ROOT, env: { ...process.env, ...env } });
    let output = '';
    proc.stdout.on('data', (d: Buffer) => (output += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (output += d.toString()));
    proc.once('exit', (code) => resolve({ code, output }));
  });
}

describe('backups', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    vi.useRealTimers();
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });
  const tempDir = () => {
    const dir = mkdtempSync(joinPath(tmpdir(), 'minga-backup-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  };

  it('npm run backup copies the live database under load into a dated file that passes integrity_check and restores every idea', async () => {
    const dir = tempDir();
    const server = await startServerProcess(dir);
    cleanup.push(() => server.stop());
    const ws = await createWorkshop(server.url);
    const boardId = ws.boards[0]!.id;
    const writers: { client: BoardClient; who: { id: string; name: string; sector: string } }[] = [];
    for (let i = 0; i < 10; i++) {
      const p = await join(server.url, ws.code, { name: `Persona ${i}` });
      const client = connectBoard(server.wsUrl, boardId, p.token);
      cleanup.push(() => client.destroy());
      writers.push({ client, who: { id: p.participantId, name: `Persona ${i}`, sector: 'comunidad' } });
    }
    const reader = connectBoard(server.wsUrl, boardId, ws.facilitatorToken);
    cleanup.push(() => reader.destroy());
    await Promise.all([reader.synced, ...writers.map((w) => w.client.synced)]);

    // Ten people post an idea every 50 ms each while the backup runs.
    let n = 0;
    const load = setInterval(() => {
      for (const w of writers) postIdea(w.client.doc, w.who, { text: `Idea ${++n}`, questionId: Q });
    }, 50);
    cleanup.push(() => clearInterval(load));
    await vi.waitFor(() => expect(reader.doc.getMap('ideas').size).toBeGreaterThan(200), { timeout: 30_000 });
    const seenBefore = [...reader.doc.getMap('ideas').keys()];
    const backups = joinPath(dir, 'copias');
    const run = await runBackupScript({ DATABASE_PATH: joinPath(dir, 'minga.db'), BACKUP_DIR: backups });
    const seenDuring = reader.doc.getMap('ideas').size;
    clearInterval(load);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toMatch(/integrity_check ok/);
    // The load went on while the copy was taken.
    expect(seenDuring).toBeGreaterThan(seenBefore.length);

    const [file] = listBackups(backups);
    expect(basename(file!)).toMatch(DATED);
    expect(run.output).toContain(file);
    expect(integrityOf(file!)).toBe('ok');

    // Restore: the copy as the database of a fresh data folder, with the signing key beside it.
    const restored = tempDir();
    copyFileSync(file!, joinPath(restored, 'minga.db'));
    copyFileSync(joinPath(dir, 'secret'), joinPath(restored, 'secret'));
    const second = await startServerProcess(restored);
    cleanup.push(() => second.stop());
    const after = connectBoard(second.wsUrl, boardId, ws.facilitatorToken);
    cleanup.push(() => after.destroy());
    await after.synced;
    const ideas = after.doc.getMap('ideas');
    for (const id of seenBefore) expect(ideas.has(id), id).toBe(true);
    expect(after.closes).toEqual([]);
  });

  it('the server backs itself up every BACKUP_EVERY_MINUTES and keeps the newest BACKUP_KEEP, removing copies a crash left half-written', async () => {
    const backups = joinPath(tempDir(), 'copias');
    // A copy left half-written by a crash an hour ago.
    const stale = joinPath(backups, 'minga-2020-01-01T00-00-00-000Z.db.partial');
    mkdirSync(backups, { recursive: true });
    writeFileSync(stale, 'half');
    utimesSync(stale, new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000));
    vi.useFakeTimers({ toFake: ['setInterval'] });
    const server = await startServer({ BACKUP_EVERY_MINUTES: '5', BACKUP_KEEP: '2', BACKUP_DIR: backups });
    cleanup.push(() => server.close());
    const ws = await createWorkshop(server.url);
    const ana = await join(server.url, ws.code);
    const client = connectBoard(server.wsUrl, ws.boards[0]!.id, ana.token);
    cleanup.push(() => client.destroy());
    await client.synced;

    // vi.waitFor would advance the faked intervals itself: poll on the real setTimeout instead.
    const until = async (ok: () => boolean) => {
      for (let i = 0; i < 500 && !ok(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(ok()).toBe(true);
    };
    const made: string[] = [];
    for (let round = 1; round <= 3; round++) {
      postIdea(client.doc, { id: ana.participantId, name: 'Ana', sector: 'comunidad' }, { text: `Antes del respaldo ${round}`, questionId: Q });
      await until(() => server.app.rooms.peek(ws.boards[0]!.id)?.doc.getMap('ideas').size === round);
      expect(listBackups(backups).length).toBe(Math.min(round - 1, 2));
      vi.advanceTimersByTime(5 * 60_000);
      await until(() => {
        const newest = listBackups(backups).at(-1);
        return newest !== undefined && !made.includes(newest);
      });
      made.push(listBackups(backups).at(-1)!);
      // Backup names have millisecond resolution.
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    expect(listBackups(backups)).toEqual(made.slice(-2));
    for (const f of made.slice(-2)) expect(integrityOf(f)).toBe('ok');
    expect(existsSync(stale)).toBe(false);
  });
});
