import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDb } from '../../db/client.ts';
import { boards, workshops } from '../../db/schema/workshops.ts';
import { seedDatabase } from '../../seed/seed.ts';
import type { SessionCommand } from '../../server/src/realtime/events.ts';
import { applyCommand, expire, openSession, participantsMaySuggest, resumeEnded, toPublicState, votingOpen, withRounds, type SessionRecord } from '../../server/src/sessions/session-state.ts';
import { createSessionStore } from '../../server/src/sessions/session-store.ts';
import { Sessions } from '../../server/src/sessions/sessions.ts';

const MIN = 60_000;
const cmd = (c: Omit<SessionCommand, 'boardId'> & Record<string, unknown>) => ({ boardId: 'b', ...c }) as SessionCommand;

function step(record = openSession(5), now = 0) {
  return (c: Parameters<typeof cmd>[0], at = now) => {
    const result = applyCommand(record, cmd(c), at);
    if (!result.ok) throw new Error(result.error.code);
    record = result.record;
    return record;
  };
}

describe('voting rounds and undoing an end', () => {
  it('opens a round when the voting phase begins (also by auto-advance), unless the open board\'s dots are kept', () => {
    const go = step();
    go({ action: 'start', blindVoting: true }, 0);
    go({ action: 'next' }, MIN);
    expect(go({ action: 'next' }, 2 * MIN).round).toEqual({ number: 2, origin: 'votacion', blind: true, revealed: false, startedAt: 2 * MIN });
    expect(go({ action: 'revealVotes' }, 3 * MIN).round).toMatchObject({ number: 2, revealed: true });
    expect(go({ action: 'next' }, 4 * MIN).round.number).toBe(2);

    const auto = step();
    auto({ action: 'start', autoAdvance: true, plan: { agrupacion: 1 } }, 0);
    const grouping = auto({ action: 'next' }, 0);
    expect(expire(grouping, MIN).round).toMatchObject({ number: 2, origin: 'votacion', blind: false });

    const keep = step();
    keep({ action: 'start', keepOpenVotes: true }, 0);
    keep({ action: 'next' }, 0);
    expect(keep({ action: 'next' }, 0).round).toEqual(openSession(5).round);
  });

  it('reads records stored before rounds existed as the open board\'s first round', () => {
    const { round: _r, roundPlan: _p, ...legacy } = openSession(5);
    expect(withRounds(legacy as SessionRecord)).toMatchObject({ round: { number: 1, origin: 'abierto' }, roundPlan: { blind: false, keepOpenVotes: false } });
  });

  it('undoing an end gives back the phase, the lock and the time that was left', () => {
    const go = step();
    go({ action: 'start' }, 0);
    const running = go({ action: 'lock' }, MIN);
    const ended = go({ action: 'end' }, 4 * MIN);
    expect(resumeEnded(running, 4 * MIN, ended, 5 * MIN)).toMatchObject({ phase: 'ideacion', status: 'running', locked: true, endsAt: 11 * MIN, remainingMs: 6 * MIN });
    // Ended after its countdown ran out: time is up.
    expect(resumeEnded(running, 30 * MIN, ended, 31 * MIN)).toMatchObject({ status: 'expired', endsAt: null, remainingMs: 0 });
    const other = step();
    other({ action: 'start' }, 0);
    const paused = other({ action: 'pause' }, 2 * MIN);
    expect(resumeEnded(paused, 3 * MIN, ended, 9 * MIN)).toMatchObject({ status: 'paused', remainingMs: 8 * MIN, endsAt: null });
  });
});

describe('session state transitions', () => {
  it('starts ideation with the default plan of 10/8/5/15 minutes', () => {
    const r = step()({ action: 'start' }, 1_000);
    expect(r).toMatchObject({ phase: 'ideacion', status: 'running', endsAt: 1_000 + 10 * MIN, durationMs: 10 * MIN });
    expect(r.plan).toEqual({ ideacion: 10, agrupacion: 8, votacion: 5, discusion: 15 });
  });

  it('freezes the remaining time on pause and counts it again from resume', () => {
    const go = step();
    go({ action: 'start' }, 0);
    expect(go({ action: 'pause' }, 4 * MIN)).toMatchObject({ status: 'paused', remainingMs: 6 * MIN, endsAt: null });
    expect(go({ action: 'resume' }, 20 * MIN)).toMatchObject({ status: 'running', endsAt: 26 * MIN });
  });

  it('extends forwards and backwards, and past zero means time is up', () => {
    const go = step();
    go({ action: 'start' }, 0);
    expect(go({ action: 'extend', minutes: 3 }, MIN)).toMatchObject({ endsAt: 13 * MIN });
    expect(go({ action: 'extend', minutes: -20 }, MIN)).toMatchObject({ status: 'expired', remainingMs: 0 });
    expect(go({ action: 'extend', minutes: 2 }, 2 * MIN)).toMatchObject({ status: 'running', endsAt: 4 * MIN });
  });

  it('walks the phases in order, each with its own countdown, and a phase of 0 minutes has none', () => {
    const go = step();
    go({ action: 'start', plan: { agrupacion: 0 } }, 0);
    expect(go({ action: 'next' }, MIN)).toMatchObject({ phase: 'agrupacion', status: 'idle', endsAt: null });
    expect(go({ action: 'next' }, MIN)).toMatchObject({ phase: 'votacion', endsAt: 6 * MIN });
    expect(go({ action: 'next' }, MIN)).toMatchObject({ phase: 'discusion', endsAt: 16 * MIN });
    expect(go({ action: 'next' }, MIN)).toMatchObject({ phase: 'cierre', status: 'idle' });
    expect(applyCommand(go({ action: 'unlock' }), cmd({ action: 'next' }), MIN)).toMatchObject({ ok: false, error: { code: 'LAST_PHASE' } });
  });

  it('stays in the phase with "Tiempo" at zero unless auto-advance was chosen', () => {
    const manual = step()({ action: 'start' }, 0);
    expect(expire(manual, 10 * MIN)).toMatchObject({ phase: 'ideacion', status: 'expired' });
    expect(expire(manual, 10 * MIN - 1)).toBe(manual);
    const auto = step()({ action: 'start', autoAdvance: true }, 0);
    expect(expire(auto, 10 * MIN)).toMatchObject({ phase: 'agrupacion', status: 'running', endsAt: 18 * MIN });
  });

  it('opens voting only on an open board or in the voting phase, never while locked', () => {
    const go = step();
    expect(votingOpen(go({ action: 'unlock' }))).toBe(true);
    expect(votingOpen(go({ action: 'start' }))).toBe(false);
    go({ action: 'next' });
    expect(votingOpen(go({ action: 'next' }))).toBe(true);
    expect(votingOpen(go({ action: 'lock' }))).toBe(false);
  });

  it('publishes the time left at the server clock', () => {
    const r = step()({ action: 'start' }, 0);
    expect(toPublicState('b', r, 3 * MIN)).toMatchObject({ remainingMs: 7 * MIN, endsAt: 10 * MIN, serverNow: 3 * MIN });
  });
});

describe('Sessions service', () => {
  afterEach(() => vi.useRealTimers());

  function service() {
    const { db } = createDb(':memory:');
    seedDatabase(db);
    db.insert(workshops).values({ id: 'w', code: 'ABCDEF', title: 't', createdAt: 0 }).run();
    db.insert(boards).values({ id: 'b', workshopId: 'w', challengeId: 'desafio-1', position: 0, createdAt: 0 }).run();
    const store = createSessionStore(db);
    const changes: string[] = [];
    const make = () => new Sessions(store, { voteBudget: 5, onChange: (_id, r) => changes.push(`${r.phase}:${r.status}`) });
    return { store, changes, make };
  }

  it('persists every change and fires the countdown on the server', async () => {
    vi.useFakeTimers({ now: 0 });
    const { store, changes, make } = service();
    const sessions = make();
    await sessions.command('b', cmd({ action: 'start', plan: { ideacion: 1 } }));
    expect(await store.load('b')).toMatchObject({ record: { phase: 'ideacion', endsAt: MIN }, version: 1 });
    await vi.advanceTimersByTimeAsync(MIN);
    expect(changes).toEqual(['ideacion:running', 'ideacion:expired']);
    expect(await store.load('b')).toMatchObject({ record: { status: 'expired' }, version: 2 });
  });

  it('keeps a running countdown across a restart and fires it at the same moment', async () => {
    vi.useFakeTimers({ now: 0 });
    const { changes, make } = service();
    const first = make();
    await first.command('b', cmd({ action: 'start', plan: { ideacion: 2 }, autoAdvance: true }));
    vi.setSystemTime(MIN);
    first.stop(); // the process dies here; a new one starts
    const restarted = make();
    await restarted.restore();
    expect(restarted.get('b')).toMatchObject({ status: 'running', endsAt: 2 * MIN });
    await vi.advanceTimersByTimeAsync(MIN);
    expect(changes.at(-1)).toBe('agrupacion:running');
  });
});

describe('suggestions for participants', () => {
  it('are allowed only when the facilitator says so, while clustering on an unlocked board', () => {
    const run = step();
    expect(participantsMaySuggest(run({ action: 'suggestions', allowParticipants: true }))).toBe(false);
    run({ action: 'start' });
    expect(participantsMaySuggest(run({ action: 'next' }))).toBe(true);
    expect(participantsMaySuggest(run({ action: 'lock' }))).toBe(false);
    run({ action: 'unlock' });
    expect(participantsMaySuggest(run({ action: 'suggestions', allowParticipants: false }))).toBe(false);
  });

  it('are off for a record stored before the flag existed', () => {
    const { participantSuggestions: _, ...old } = { ...openSession(5), phase: 'agrupacion' as const };
    expect(toPublicState('b', old as never, 0).participantSuggestions).toBe(false);
    expect(participantsMaySuggest(old as never)).toBe(false);
  });
});
