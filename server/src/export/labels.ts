import type { Lang } from './board-report.ts';

const ES = {
  documentTitle: 'Borrador de propuesta',
  instrument: 'Instrumento Innova Social Prototipo — Desafíos de Innovación Social, Región de Coquimbo 2022',
  workshop: 'Taller',
  challenge: 'Desafío',
  date: 'Fecha',
  team: 'Equipo',
  teamMissing: '(nombre del equipo por completar)',
  contextHeading: 'Contexto del desafío',
  references: 'Referencias',
  questionsHeading: 'Preguntas orientadoras e ideas priorizadas',
  question: 'Pregunta',
  group: 'Grupo',
  ungrouped: 'Ideas sin agrupar',
  noIdeas: 'Sin ideas para esta pregunta.',
  votes: (n: number) => (n === 1 ? '1 voto' : `${n} votos`),
  support: (n: number) => (n === 1 ? 'apoyo total: 1 voto' : `apoyo total: ${n} votos`),
  by: 'de',
  participationHeading: 'Participación',
  participants: (n: number) => (n === 1 ? '1 persona participó en este tablero.' : `${n} personas participaron en este tablero.`),
  sector: 'Sector',
  comuna: 'Comuna',
  people: 'Personas',
  chartTitle: 'Participantes por sector',
  proposalHeading: 'Propuesta',
  toComplete: '(sección por completar)',
  annexHeading: 'Anexo: todas las ideas',
  text: 'Idea',
  author: 'Autor/a',
  created: 'Creada',
  cluster: 'Grupo'
};

type Labels = typeof ES;

const EN: Labels = {
  documentTitle: 'Proposal draft',
  instrument: 'Innova Social Prototipo instrument — Social Innovation Challenges, Región de Coquimbo 2022',
  workshop: 'Workshop',
  challenge: 'Challenge',
  date: 'Date',
  team: 'Team',
  teamMissing: '(team name to be completed)',
  contextHeading: 'Challenge context',
  references: 'References',
  questionsHeading: 'Guiding questions and prioritised ideas',
  question: 'Question',
  group: 'Group',
  ungrouped: 'Ungrouped ideas',
  noIdeas: 'No ideas for this question.',
  votes: (n: number) => (n === 1 ? '1 vote' : `${n} votes`),
  support: (n: number) => (n === 1 ? 'total support: 1 vote' : `total support: ${n} votes`),
  by: 'by',
  participationHeading: 'Participation',
  participants: (n: number) => (n === 1 ? '1 person took part on this board.' : `${n} people took part on this board.`),
  sector: 'Sector',
  comuna: 'Comuna',
  people: 'People',
  chartTitle: 'Participants by sector',
  proposalHeading: 'Proposal',
  toComplete: '(section to be completed)',
  annexHeading: 'Annex: every idea',
  text: 'Idea',
  author: 'Author',
  created: 'Created',
  cluster: 'Group'
};

export const labels = (lang: Lang): Labels => (lang === 'en' ? EN : ES);

/** The date as people in the Región de Coquimbo read it. */
export function formatDate(iso: string | number, lang: Lang, withTime = false): string {
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'es-CL', {
    timeZone: 'America/Santiago',
    dateStyle: 'long',
    ...(withTime ? { timeStyle: 'short' } : {})
  }).format(new Date(iso));
}

/** YYYY-MM-DD in Chile, for file names. */
export const isoDay = (date: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Santiago' }).format(date);
