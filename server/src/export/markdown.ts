import { SECTORS } from '../../../seed/reference.ts';
import type { BoardReport, IdeaReport } from './board-report.ts';
import { formatDate, labels } from './labels.ts';
import { hasVotes, rankingTables } from './ranking.ts';
import { roundTables } from './rounds.ts';
import type { Paragraph } from './rich-text.ts';

/**
 * User text as literal Markdown text: every character Markdown or HTML could read as syntax is
 * escaped (inline everywhere, block markers at line starts), and line breaks stay in the paragraph.
 */
export function escapeMarkdown(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) =>
      line
        .replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`)
        .replace(/[<>&]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[c]!)
        .replace(/^(\s*)([#+=-])/, '$1\\$2')
        .replace(/^(\s*\d+)([.)])/, '$1\\$2')
    )
    .join('  \n');
}

const cell = (text: string) => escapeMarkdown(text).replace(/ {2}\n/g, ' ');

function sectorBreakdown(idea: Pick<IdeaReport, 'votesBySector'>, lang: BoardReport['lang']): string {
  const parts = SECTORS.filter((s) => idea.votesBySector[s.id]).map((s) => `${s.label[lang]} ${idea.votesBySector[s.id]}`);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

function paragraph(p: Paragraph, index: number): string {
  const text = p.runs
    .map((r) => {
      let t = escapeMarkdown(r.text);
      if (r.bold) t = `**${t}**`;
      if (r.italic) t = `*${t}*`;
      return t;
    })
    .join('');
  return p.kind === 'bullet' ? `- ${text}` : p.kind === 'ordered' ? `${index + 1}. ${text}` : text;
}

export function renderMarkdown(r: BoardReport): string {
  const L = labels(r.lang);
  const sectorLabel = (id: string) => SECTORS.find((s) => s.id === id)?.label[r.lang] ?? id;
  const out: string[] = [];
  out.push(`# ${L.documentTitle}: ${L.challenge} ${r.challenge.number}`, '');
  out.push(`**${escapeMarkdown(r.challenge.title)}**`, '');
  out.push(`- ${L.workshop}: ${escapeMarkdown(r.workshop.title)} (${r.workshop.code})`);
  out.push(`- ${L.team}: ${r.teamName ? escapeMarkdown(r.teamName) : L.teamMissing}`);
  out.push(`- ${L.date}: ${formatDate(r.generatedAt, r.lang)}`);
  out.push(`- ${L.instrument}`, '');

  // A workshop's own challenge may have no context and cites no references.
  if (r.challenge.context.length > 0 || r.challenge.references.length > 0) out.push(`## ${L.contextHeading}`, '');
  for (const p of r.challenge.context) out.push(escapeMarkdown(p), '');
  if (r.challenge.references.length > 0) out.push(`${L.references}: ${r.challenge.references.map(escapeMarkdown).join('; ')}`, '');

  out.push(`## ${L.questionsHeading}`, '');
  r.questions.forEach((q, qi) => {
    out.push(`### ${L.question} ${qi + 1}: ${escapeMarkdown(q.text)}`, '');
    if (q.clusters.length === 0 && q.ungrouped.length === 0) out.push(`*${L.noIdeas}*`, '');
    for (const c of q.clusters) {
      out.push(`#### ${L.group}: ${escapeMarkdown(c.title)} — ${L.support(c.support)}`, '');
      if (c.votes > 0) out.push(`${L.group}: ${L.votes(c.votes)}${sectorBreakdown(c, r.lang)}`, '');
      for (const i of c.ideas) out.push(`- ${cell(i.text)} — ${L.by} ${cell(i.authorName)}, ${sectorLabel(i.sector)}; ${L.votes(i.votes)}${sectorBreakdown(i, r.lang)}`);
      out.push('');
    }
    if (q.ungrouped.length > 0) {
      out.push(`#### ${L.ungrouped}`, '');
      for (const i of q.ungrouped) out.push(`- ${cell(i.text)} — ${L.by} ${cell(i.authorName)}, ${sectorLabel(i.sector)}; ${L.votes(i.votes)}${sectorBreakdown(i, r.lang)}`);
      out.push('');
    }
  });

  out.push(`## ${L.consensusHeading}`, '', L.consensusExplained, '');
  if (!hasVotes(r)) out.push(`*${L.noVotesYet}*`, '');
  else
    for (const t of rankingTables(r)) {
      out.push(`### ${t.title}`, '', `| ${t.header.join(' | ')} |`, '|---:|---|---:|---:|---:|---|');
      for (const row of t.rows) out.push(`| ${row.map(cell).join(' | ')} |`);
      out.push('');
    }

  if (r.rounds.length > 0) {
    out.push(`## ${L.roundsHeading}`, '', L.roundsExplained, '');
    for (const t of roundTables(r)) {
      out.push(`### ${t.title}`, '', t.summary, '', `| ${t.header.join(' | ')} |`, '|---:|---|---:|---:|');
      for (const row of t.rows) out.push(`| ${row.map(cell).join(' | ')} |`);
      out.push('');
    }
  }

  out.push(`## ${L.participationHeading}`, '', L.participants(r.participation.total), '');
  out.push(`| ${L.sector} | ${L.people} |`, '|---|---:|');
  for (const s of r.participation.bySector) out.push(`| ${s.label} | ${s.count} |`);
  out.push('', `| ${L.comuna} | ${L.people} |`, '|---|---:|');
  for (const c of r.participation.byComuna) out.push(`| ${c.comuna} | ${c.count} |`);
  out.push('');

  out.push(`## ${L.proposalHeading}`, '');
  for (const s of r.proposal) {
    out.push(`### ${s.label}`, '');
    if (s.paragraphs.length === 0) out.push(`*${L.toComplete}*`, '');
    let ordered = 0;
    for (const p of s.paragraphs) {
      ordered = p.kind === 'ordered' ? ordered + 1 : 0;
      out.push(paragraph(p, ordered - 1));
      if (p.kind === 'p') out.push('');
    }
    out.push('');
  }

  out.push(`## ${L.annexHeading}`, '');
  out.push(`| # | ${L.question} | ${L.cluster} | ${L.text} | ${L.author} | ${L.sector} | ${L.comuna} | ${L.votes(2).replace(/^2 /, '')} |`);
  out.push('|---:|---:|---|---|---|---|---|---:|');
  const qIndex = new Map(r.questions.map((q, i) => [q.id, i + 1]));
  r.ideas.forEach((i, n) =>
    out.push(
      `| ${n + 1} | ${qIndex.get(i.questionId) ?? ''} | ${cell(i.clusterTitle ?? '')} | ${cell(i.text)} | ${cell(i.authorName)} | ${sectorLabel(i.sector)} | ${cell(i.comuna)} | ${i.votes} |`
    )
  );
  out.push('');
  return out.join('\n');
}
