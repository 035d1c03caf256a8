import { HeadingLevel, Paragraph, TextRun, type Table } from 'docx';
import type { RankedTarget, WorkshopResults } from '../schemas/results.ts';
import type { BoardReport } from './board-report.ts';
import { chartParagraph, packDocx, para, table } from './docx.ts';
import { formatDate, formatIndex, labels } from './labels.ts';
import { rankingTables } from './ranking.ts';

/**
 * The whole workshop as one DOCX: participation (charts and tables), then a section per challenge
 * with its groups ranked both ways (the same tables as a board's draft) and its top ideas.
 */
export function renderWorkshopDocx(results: WorkshopResults, reports: BoardReport[], lang: BoardReport['lang']): Promise<Buffer> {
  const L = labels(lang);
  const time = (at: number) => new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'es-CL', { dateStyle: 'short', timeStyle: 'short', timeZone: 'America/Santiago' }).format(at);
  const body: (Paragraph | Table)[] = [
    new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(L.resultsTitle)] }),
    para(`${results.workshop.title} (${results.workshop.code})`, { bold: true }),
    para(`${L.date}: ${formatDate(results.generatedAt, lang, true)}`),
    para(L.resultsIntro(results.people.total, results.boards.length)),
    new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun(L.participationHeading)] })
  ];
  const chartAndTable = (title: string, header: string[], rows: string[][], bars: { label: string; value: number }[]) => {
    body.push(para(title, { heading: HeadingLevel.HEADING_2 }));
    if (bars.length > 0) body.push(chartParagraph(title, bars));
    body.push(table(header, rows));
  };
  chartAndTable(
    L.chartTitle,
    [L.sector, L.people],
    results.people.bySector.map((s) => [s.label, String(s.count)]),
    results.people.bySector.map((s) => ({ label: s.label, value: s.count }))
  );
  chartAndTable(
    L.byComunaChart,
    [L.comuna, L.people],
    results.people.byComuna.map((c) => [c.comuna, String(c.count)]),
    results.people.byComuna.map((c) => ({ label: c.comuna, value: c.count }))
  );
  chartAndTable(
    L.contributionHeading,
    [L.sector, L.people, L.text, L.dots, L.edits],
    results.contribution.map((c) => [c.label, String(c.people), String(c.ideas), String(c.dots), String(c.edits)]),
    results.contribution.map((c) => ({ label: c.label, value: c.ideas }))
  );
  chartAndTable(
    L.overTimeChart(results.timeline.intervalMinutes),
    [L.interval, L.ideasCount, L.dots],
    results.timeline.points.map((p) => [time(p.at), String(p.ideas), String(p.dots)]),
    results.timeline.points.map((p) => ({ label: time(p.at), value: p.ideas }))
  );

  const ideaRows = (items: RankedTarget[]) => items.map((i, n) => [String(n + 1), i.title, String(i.questionNumber), formatIndex(i.consensus, lang), String(i.dots)]);
  results.boards.forEach((board, b) => {
    body.push(new Paragraph({ heading: HeadingLevel.HEADING_1, pageBreakBefore: true, children: [new TextRun(`${L.challenge} ${board.challenge.number}: ${board.challenge.title}`)] }));
    body.push(para(L.boardFigures(board.ideas, board.groups, board.dots, board.participants)));
    body.push(para(L.consensusExplained, { italic: true }));
    const report = reports[b]!;
    for (const t of rankingTables(report)) {
      body.push(para(t.title, { heading: HeadingLevel.HEADING_2 }));
      body.push(t.rows.length > 0 ? table(t.header, t.rows, [6, 24, 10, 17, 11, 32]) : para(L.noGroupsOnBoard, { italic: true }));
    }
    for (const [title, items] of [
      [L.topIdeasByConsensus, board.ideasByConsensus],
      [L.topIdeasByDots, board.ideasByDots]
    ] as const) {
      body.push(para(title, { heading: HeadingLevel.HEADING_2 }));
      body.push(items.length > 0 ? table(['#', L.text, L.questionShort, L.consensusIndex, L.dots], ideaRows(items), [5, 55, 10, 18, 12]) : para(L.noIdeasOnBoard, { italic: true }));
    }
  });
  return packDocx(`${L.resultsTitle} — ${results.workshop.title}`, results.workshop.title, body);
}
