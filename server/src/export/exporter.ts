import type { FastifyInstance } from 'fastify';
import type * as Y from 'yjs';
import { buildBoardReport, type BoardReport, type Lang } from './board-report.ts';
import { renderCsv } from './csv.ts';
import { isoDay } from './labels.ts';
import { renderMarkdown } from './markdown.ts';

export const EXPORT_FORMATS = ['md', 'docx', 'csv', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const CONTENT_TYPES: Record<ExportFormat, string> = {
  md: 'text/markdown; charset=utf-8',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8'
};

/** Reads the board (loading it if nobody has it open) and builds its report. */
export function reportOf(app: FastifyInstance, boardId: string, lang: Lang, now = new Date()): Promise<BoardReport> {
  return readBoard(app, boardId, lang, now, (report) => report);
}

/**
 * The same, then `read` takes the report and the doc it came from (the workshop's results); both
 * run once the doc holds only what is stored.
 */
export async function readBoard<T>(app: FastifyInstance, boardId: string, lang: Lang, now: Date, read: (report: BoardReport, doc: Y.Doc) => T): Promise<T> {
  const board = (await app.workshops.board(boardId))!;
  const [workshop, challenge] = await Promise.all([app.workshops.byId(board.workshopId), app.challenges.get(board.challengeId)]);
  const rounds = await app.votes.rounds(boardId);
  const room = await app.rooms.acquire(boardId);
  try {
    return await room.readStored((doc) => readReport(doc));
  } finally {
    app.rooms.release(room);
  }

  function readReport(doc: Y.Doc): T {
    const report = buildBoardReport({
      doc,
      boardId,
      workshop: { code: workshop!.code, title: workshop!.title },
      teamName: board.teamName,
      challenge: challenge!,
      lang,
      now,
      rounds
    });
    return read(report, doc);
  }
}

/** docx (and its chart renderer) is imported on the first docx export, never at start (issue 10). */
export async function renderExport(report: BoardReport, format: ExportFormat): Promise<{ body: Buffer | string; contentType: string; filename: string }> {
  const stem = `${report.lang === 'en' ? 'challenge' : 'desafio'}-${report.challenge.number}-${report.lang === 'en' ? 'proposal' : 'propuesta'}-${isoDay(new Date(report.generatedAt))}`;
  const body =
    format === 'docx'
      ? await (await import('./docx.ts')).renderDocx(report)
      : format === 'md'
        ? renderMarkdown(report)
        : format === 'csv'
          ? renderCsv(report)
          : JSON.stringify(report, null, 2);
  return { body, contentType: CONTENT_TYPES[format], filename: `${stem}.${format}` };
}
