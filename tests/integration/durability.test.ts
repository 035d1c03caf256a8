import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { connectBoard, connectControl, createCluster, createWorkshop, join, postIdea, type BoardClient } from '../helpers/clients.ts';
import { startServerProcess, type ServerProcess } from '../helpers/process.ts';

const Q = ['desafio-6-p1', 'desafio-6-p2'];

describe('durability: kill -9 loses nothing that a client has seen', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  const track = <T extends BoardClient | ServerProcess>(x: T) => {
    cleanup.push(() => ('destroy' in x ? x.destroy() : x.stop()));
    return x;
  };

  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  it('keeps all 200 ideas of a burst and every cluster after kill -9 and restart', async () => {
    const dir = mkdtempSync(joinPath(tmpdir(), 'minga-crash-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const first = await startServerProcess(dir);
    const ws = await createWorkshop(first.url);
    const boardId = ws.boards[0]!.id;
    const ana = await join(first.url, ws.code, { name: 'Ana' });
    const who = { id: ana.participantId, name: 'Ana', sector: 'comunidad' };

    const writer = track(connectBoard(first.wsUrl, boardId, ana.token));
    const reader = track(connectBoard(first.wsUrl, boardId, ana.token));
    await Promise.all([writer.synced, reader.synced]);
    const clusters = Q.map((questionId, i) => createCluster(writer.doc, { title: `Grupo ${i + 1}`, questionId }));
    const ideas: string[] = [];
    for (let i = 0; i < 200; i++) {
      ideas.push(postIdea(writer.doc, who, { text: `Idea ${i + 1}`, questionId: Q[i % 2]!, clusterId: clusters[i % 2]! }));
    }
    await vi.waitFor(() => expect(reader.doc.getMap('ideas').size).toBe(200), { timeout: 20_000 });

    await first.kill9();
    writer.destroy();
    reader.destroy();

    const second = track(await startServerProcess(dir));
    const after = track(connectBoard(second.wsUrl, boardId, ana.token));
    await after.synced;
    const stored = after.doc.getMap('ideas');
    expect(stored.size).toBe(200);
    for (const [i, id] of ideas.entries()) {
      const idea = stored.get(id) as Y.Map<unknown>;
      expect(idea.get('text')).toBe(`Idea ${i + 1}`);
      expect(idea.get('clusterId')).toBe(clusters[i % 2]);
    }
    expect([...after.doc.getMap('clusters').keys()].sort()).toEqual([...clusters].sort());
    expect(writer.denials).toEqual([]);
  });

  it('loses nothing when killed in the middle of a compaction', async () => {
    const dir = mkdtempSync(joinPath(tmpdir(), 'minga-crash-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    // Compact every 50 updates and hold the compaction transaction open for 10 s, so the kill
    // lands while it is uncommitted.
    const first = await startServerProcess(dir, { COMPACT_EVERY_UPDATES: '50', MINGA_FAULT_COMPACTION_HOLD_MS: '10000' });
    const ws = await createWorkshop(first.url);
    const boardId = ws.boards[0]!.id;
    const ana = await join(first.url, ws.code, { name: 'Ana' });
    const who = { id: ana.participantId, name: 'Ana', sector: 'comunidad' };
    const writer = track(connectBoard(first.wsUrl, boardId, ana.token));
    const reader = track(connectBoard(first.wsUrl, boardId, ana.token));
    await Promise.all([writer.synced, reader.synced]);

    const ideas: string[] = [];
    for (let i = 0; i < 60; i++) ideas.push(postIdea(writer.doc, who, { text: `Idea ${i + 1}`, questionId: Q[0]! }));
    await first.waitForOutput(/compaction transaction held open/);
    await first.kill9();
    expect(first.output()).not.toMatch(/compaction finished/);

    const second = track(await startServerProcess(dir, { COMPACT_EVERY_UPDATES: '50' }));
    const after = track(connectBoard(second.wsUrl, boardId, ana.token));
    await after.synced;
    // Everything the reader saw before the crash is there; the restarted server may compact now.
    const seen = [...reader.doc.getMap('ideas').keys()];
    expect(seen.length).toBeGreaterThanOrEqual(50);
    for (const id of seen) expect(after.doc.getMap('ideas').has(id)).toBe(true);
    await second.waitForOutput(/compaction finished/);

    // And after a clean compaction, a third start still has every idea.
    await second.kill9();
    const third = track(await startServerProcess(dir));
    const last = track(connectBoard(third.wsUrl, boardId, ana.token));
    await last.synced;
    for (const id of seen) expect(last.doc.getMap('ideas').has(id)).toBe(true);
  });
});

describe('durability: session state survives kill -9', () => {
  it('keeps a paused timer’s remaining time and a running timer’s end', async () => {
    const dir = mkdtempSync(joinPath(tmpdir(), 'minga-crash-'));
    const first = await startServerProcess(dir);
    try {
      const ws = await createWorkshop(first.url, ['desafio-1', 'desafio-2']);
      const [running, paused] = ws.boards.map((b) => b.id) as [string, string];
      const f = await connectControl(first.url, ws.facilitatorToken);
      const started = await f.emitWithAck('session:command', { boardId: running, action: 'start', plan: { ideacion: 7 } });
      await f.emitWithAck('session:command', { boardId: paused, action: 'start', plan: { ideacion: 9 } });
      await f.emitWithAck('session:command', { boardId: paused, action: 'lock' });
      const pausedAck = await f.emitWithAck('session:command', { boardId: paused, action: 'pause' });
      f.close();
      if (!started.ok || !pausedAck.ok) throw new Error('commands failed');
      await first.kill9();

      const second = await startServerProcess(dir);
      try {
        const g = await connectControl(second.url, ws.facilitatorToken);
        const a = await g.emitWithAck('board:join', { boardId: running });
        const b = await g.emitWithAck('board:join', { boardId: paused });
        g.close();
        expect(a).toMatchObject({ ok: true, state: { phase: 'ideacion', status: 'running', endsAt: started.state.endsAt } });
        expect(b).toMatchObject({ ok: true, state: { phase: 'ideacion', status: 'paused', locked: true, remainingMs: pausedAck.state.remainingMs } });
      } finally {
        await second.stop();
      }
    } finally {
      await first.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
