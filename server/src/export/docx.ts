import {
  AlignmentType,
  BorderStyle,
  Document,
  HeadingLevel,
  ImageRun,
  LevelFormat,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType
} from 'docx';
import { SECTORS } from '../../../seed/reference.ts';
import type { BoardReport, IdeaReport } from './board-report.ts';
import { barChartPng, CHART_WIDTH, chartHeight } from './chart.ts';
import { formatDate, labels } from './labels.ts';
import { hasVotes, rankingTables } from './ranking.ts';
import { roundTables } from './rounds.ts';
import type { Run } from './rich-text.ts';

/** Characters XML 1.0 cannot hold (control characters, lone surrogates): dropped from user text. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
export const xmlSafe = (s: string) => s.replace(XML_INVALID, '');

/** Runs of user text; line breaks inside become real breaks. The library escapes XML. */
export function textRuns(text: string, style: Omit<Run, 'text'> = {}): TextRun[] {
  return xmlSafe(text)
    .split(/\r?\n/)
    .map((line, i) => new TextRun({ text: line, bold: style.bold, italics: style.italic, underline: style.underline ? {} : undefined, break: i > 0 ? 1 : undefined }));
}

export const para = (text: string, options: { bold?: boolean; italic?: boolean; heading?: (typeof HeadingLevel)[keyof typeof HeadingLevel] } = {}) =>
  new Paragraph({ heading: options.heading, children: textRuns(text, options) });

export function table(header: string[], rows: string[][], widths?: number[]): Table {
  const border = { style: BorderStyle.SINGLE, size: 4, color: 'BFBFBF' };
  const row = (cells: string[], isHeader: boolean) =>
    new TableRow({
      tableHeader: isHeader,
      cantSplit: true,
      children: cells.map(
        (c, i) =>
          new TableCell({
            width: widths ? { size: widths[i]!, type: WidthType.PERCENTAGE } : undefined,
            shading: isHeader ? { fill: 'F3E6DD' } : undefined,
            children: [new Paragraph({ children: textRuns(c, { bold: isHeader }) })]
          })
      )
    });
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    borders: { top: border, bottom: border, left: border, right: border, insideHorizontal: border, insideVertical: border },
    rows: [row(header, true), ...rows.map((r) => row(r, false))]
  });
}

/** The board as an "Innova Social Prototipo" draft: Word headings give it a navigable outline. */
export async function renderDocx(r: BoardReport): Promise<Buffer> {
  const L = labels(r.lang);
  const sectorLabel = (id: string) => SECTORS.find((s) => s.id === id)?.label[r.lang] ?? id;
  const breakdown = (i: Pick<IdeaReport, 'votesBySector'>) =>
    SECTORS.filter((s) => i.votesBySector[s.id])
      .map((s) => `${s.label[r.lang]} ${i.votesBySector[s.id]}`)
      .join(', ');
  const ideaLine = (i: IdeaReport) =>
    new Paragraph({
      bullet: { level: 0 },
      children: [
        ...textRuns(i.text),
        new TextRun({ text: ` — ${xmlSafe(i.authorName)}, ${sectorLabel(i.sector)}. `, italics: true, color: '595959' }),
        new TextRun({ text: L.votes(i.votes) + (breakdown(i) ? ` (${breakdown(i)})` : ''), bold: i.votes > 0 })
      ]
    });

  const body: (Paragraph | Table)[] = [];
  // Title page
  body.push(
    new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(`${L.documentTitle}`)] }),
    new Paragraph({ spacing: { after: 240 }, children: textRuns(`${L.challenge} ${r.challenge.number}: ${r.challenge.title}`, { bold: true }) }),
    new Paragraph({ children: [new TextRun({ text: `${L.workshop}: `, bold: true }), ...textRuns(`${r.workshop.title} (${r.workshop.code})`)] }),
    new Paragraph({ children: [new TextRun({ text: `${L.team}: `, bold: true }), ...textRuns(r.teamName ?? L.teamMissing)] }),
    new Paragraph({ children: [new TextRun({ text: `${L.date}: `, bold: true }), new TextRun(formatDate(r.generatedAt, r.lang))] }),
    new Paragraph({ spacing: { before: 240 }, children: [new TextRun({ text: L.instrument, italics: true, color: '595959' })] })
  );

  // A workshop's own challenge may have no context and cites no references.
  if (r.challenge.context.length > 0 || r.challenge.references.length > 0) {
    body.push(new Paragraph({ heading: HeadingLevel.HEADING_1, pageBreakBefore: true, children: [new TextRun(L.contextHeading)] }));
  }
  for (const p of r.challenge.context) body.push(para(p));
  if (r.challenge.references.length > 0) {
    body.push(new Paragraph({ children: [new TextRun({ text: `${L.references}: `, bold: true }), ...textRuns(r.challenge.references.join('; '))] }));
  }

  body.push(new Paragraph({ heading: HeadingLevel.HEADING_1, pageBreakBefore: true, children: [new TextRun(L.questionsHeading)] }));
  r.questions.forEach((q, qi) => {
    body.push(para(`${L.question} ${qi + 1}: ${q.text}`, { heading: HeadingLevel.HEADING_2 }));
    if (q.clusters.length === 0 && q.ungrouped.length === 0) body.push(para(L.noIdeas, { italic: true }));
    for (const c of q.clusters) {
      body.push(para(`${L.group}: ${c.title} — ${L.support(c.support)}`, { heading: HeadingLevel.HEADING_3 }));
      if (c.votes > 0) body.push(para(`${L.group}: ${L.votes(c.votes)}${breakdown(c) ? ` (${breakdown(c)})` : ''}`, { italic: true }));
      for (const i of c.ideas) body.push(ideaLine(i));
    }
    if (q.ungrouped.length > 0) {
      body.push(para(L.ungrouped, { heading: HeadingLevel.HEADING_3 }));
      for (const i of q.ungrouped) body.push(ideaLine(i));
    }
  });

  body.push(new Paragraph({ heading: HeadingLevel.HEADING_1, pageBreakBefore: true, children: [new TextRun(L.consensusHeading)] }));
  body.push(para(L.consensusExplained));
  if (!hasVotes(r)) body.push(para(L.noVotesYet, { italic: true }));
  else
    for (const t of rankingTables(r)) {
      body.push(para(t.title, { heading: HeadingLevel.HEADING_2 }), table(t.header, t.rows, [6, 24, 10, 17, 11, 32]));
    }

  if (r.rounds.length > 0) {
    body.push(para(L.roundsHeading, { heading: HeadingLevel.HEADING_1 }), para(L.roundsExplained));
    for (const t of roundTables(r)) body.push(para(t.title, { heading: HeadingLevel.HEADING_2 }), para(t.summary), table(t.header, t.rows, [6, 64, 15, 15]));
  }

  body.push(new Paragraph({ heading: HeadingLevel.HEADING_1, pageBreakBefore: true, children: [new TextRun(L.participationHeading)] }));
  body.push(para(L.participants(r.participation.total)));
  body.push(table([L.sector, L.people], r.participation.bySector.map((s) => [s.label, String(s.count)]), [75, 25]));
  if (r.participation.bySector.length > 0) body.push(chartParagraph(L.chartTitle, r.participation.bySector.map((s) => ({ label: s.label, value: s.count }))));
  body.push(new Paragraph({ text: '' }), table([L.comuna, L.people], r.participation.byComuna.map((c) => [c.comuna, String(c.count)]), [75, 25]));

  body.push(new Paragraph({ heading: HeadingLevel.HEADING_1, pageBreakBefore: true, children: [new TextRun(L.proposalHeading)] }));
  r.proposal.forEach((s, si) => {
    body.push(new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun(s.label)] }));
    if (s.paragraphs.length === 0) body.push(para(L.toComplete, { italic: true }));
    for (const p of s.paragraphs) {
      const children = p.runs.flatMap((run) => textRuns(run.text, run));
      if (p.kind === 'bullet') body.push(new Paragraph({ bullet: { level: 0 }, children }));
      else if (p.kind === 'ordered') body.push(new Paragraph({ numbering: { reference: 'ordered', level: 0, instance: si }, children }));
      else body.push(new Paragraph({ children }));
    }
  });

  body.push(new Paragraph({ heading: HeadingLevel.HEADING_1, pageBreakBefore: true, children: [new TextRun(L.annexHeading)] }));
  const qIndex = new Map(r.questions.map((q, i) => [q.id, i + 1]));
  body.push(
    table(
      ['#', L.question, L.cluster, L.text, L.author, L.sector, L.votes(2).replace(/^2 /, '')],
      r.ideas.map((i, n) => [String(n + 1), String(qIndex.get(i.questionId) ?? ''), i.clusterTitle ?? '', i.text, i.authorName, sectorLabel(i.sector), String(i.votes)]),
      [5, 7, 15, 38, 15, 12, 8]
    )
  );

  return packDocx(`${L.documentTitle} — ${L.challenge} ${r.challenge.number}`, r.challenge.title, body);
}

/** A Minga document: Word's own heading styles (the navigation pane shows the outline), A4 margins. */
export function packDocx(title: string, description: string, body: (Paragraph | Table)[]): Promise<Buffer> {
  const doc = new Document({
    creator: 'Minga',
    title,
    description: xmlSafe(description),
    styles: {
      default: { document: { run: { font: 'Calibri', size: 22 } } },
      paragraphStyles: [
        { id: 'Title', name: 'Title', basedOn: 'Normal', next: 'Normal', run: { size: 48, bold: true, color: '8A3B1B' }, paragraph: { spacing: { after: 240 } } },
        { id: 'Heading1', name: 'Heading 1', basedOn: 'Normal', next: 'Normal', quickFormat: true, run: { size: 32, bold: true, color: '8A3B1B' }, paragraph: { spacing: { before: 240, after: 160 }, keepNext: true } },
        { id: 'Heading2', name: 'Heading 2', basedOn: 'Normal', next: 'Normal', quickFormat: true, run: { size: 26, bold: true, color: '2F2F2F' }, paragraph: { spacing: { before: 280, after: 120 }, keepNext: true } },
        { id: 'Heading3', name: 'Heading 3', basedOn: 'Normal', next: 'Normal', quickFormat: true, run: { size: 23, bold: true, color: '8A3B1B' }, paragraph: { spacing: { before: 200, after: 80 }, keepNext: true } }
      ]
    },
    numbering: {
      config: [{ reference: 'ordered', levels: [{ level: 0, format: LevelFormat.DECIMAL, text: '%1.', alignment: AlignmentType.START }] }]
    },
    sections: [{ properties: { page: { margin: { top: 1134, bottom: 1134, left: 1134, right: 1134 } } }, children: body }]
  });
  return Packer.toBuffer(doc);
}

/** A bar chart as a centred image with its title as alternative text. */
export function chartParagraph(title: string, bars: { label: string; value: number }[]): Paragraph {
  const png = barChartPng(title, bars);
  const height = chartHeight(bars.length);
  return new Paragraph({
    alignment: AlignmentType.CENTER,
    spacing: { before: 200, after: 200 },
    children: [new ImageRun({ type: 'png', data: png, transformation: { width: 540, height: Math.round((height * 540) / CHART_WIDTH) }, altText: { name: title, description: title, title } })]
  });
}
