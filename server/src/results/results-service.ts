import type { FastifyInstance } from 'fastify';
import { readBoard } from '../export/exporter.ts';
import { createWorkshopOfBoard } from '../repositories/workshop-of-board.ts';
import type { Lang } from '../export/board-report.ts';
import type { WorkshopResults } from '../schemas/results.ts';
import { summariseBoard, type BoardSummary } from './board-summary.ts';
import { workshopResults } from './workshop-results.ts';

/** At most one "results changed" per workshop in this long, however fast its boards change. */
export const RESULTS_NOTIFY_MS = 3_000;

/**
 * The workshop's results, kept cheap while boards change: each board's summary is cached until
 * that board stores a change, so a keystroke on one board recomputes only that board, and only
 * when someone asks; watchers hear "changed" at most every RESULTS_NOTIFY_MS and then ask.
 */
export function createResultsService(app: FastifyInstance, notify: (workshopId: string) => void) {
  const versions = new Map<string, number>();
  const cache = new Map<string, { version: number; lang: Lang; summary: BoardSummary }>();
  const timers = new Map<string, NodeJS.Timeout>();

  const changed = (workshopId: string) => {
    if (timers.has(workshopId)) return;
    timers.set(
      workshopId,
      setTimeout(() => {
        timers.delete(workshopId);
        notify(workshopId);
      }, RESULTS_NOTIFY_MS).unref()
    );
  };

  const workshopOf = createWorkshopOfBoard(app.workshops);
  app.rooms.onStored((room) => {
    if (room.privateOwner !== null) return;
    versions.set(room.boardId, (versions.get(room.boardId) ?? 0) + 1);
    const boardId = room.boardId;
    workshopOf(boardId).then(
      (workshopId) => workshopId && changed(workshopId),
      (err: unknown) => app.log.error({ err, boardId }, 'results: board not read')
    );
  });

  const summaryOf = async (boardId: string, lang: Lang, now: Date): Promise<BoardSummary> => {
    const version = versions.get(boardId) ?? 0;
    const hit = cache.get(boardId);
    if (hit && hit.version === version && hit.lang === lang) return hit.summary;
    const owners = await app.results.clientOwners(boardId);
    const summary = await readBoard(app, boardId, lang, now, (report, doc) => summariseBoard(report, doc, owners));
    cache.set(boardId, { version, lang, summary });
    return summary;
  };

  return {
    /** Something the results show changed outside the boards (a join, a publication). */
    changed,
    async get(code: string, lang: Lang, now = new Date()): Promise<WorkshopResults | null> {
      const workshop = await app.workshops.byCode(code);
      if (!workshop) return null;
      const boardIds = workshop.boards.map((b) => b.id);
      const [boards, people, voteEvents] = await Promise.all([
        Promise.all(boardIds.map((id) => summaryOf(id, lang, now))),
        app.results.people(workshop.id),
        app.results.voteEvents(boardIds)
      ]);
      return workshopResults({
        workshop: { code: workshop.code, title: workshop.title, publishedAt: workshop.resultsPublishedAt },
        boards,
        people,
        voteEvents,
        lang,
        now: now.getTime()
      });
    },
    close() {
      for (const t of timers.values()) clearTimeout(t);
    }
  };
}

export type ResultsService = ReturnType<typeof createResultsService>;
