import type { Lang } from './board-report.ts';

/** "1 idea", "2 ideas": a count with its noun in the singular or the plural. */
const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

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
  cluster: 'Grupo',
  consensusHeading: 'Apoyo transversal',
  consensusExplained:
    'El "apoyo transversal" mide cuánto respaldan un grupo de ideas todos los sectores presentes en el tablero, y no solo el más numeroso. ' +
    'Para cada sector se calcula qué parte de sus votantes le dio al menos un punto (con un pequeño ajuste para que una sola persona no decida por todo su sector), ' +
    'y esas partes se multiplican: un grupo apoyado por personas de cada sector obtiene más que otro con muchos puntos de un solo sector. ' +
    'El índice va de 0 a 1. Un grupo es "divisivo" cuando un sector lo apoya con fuerza y otro casi nada.',
  byConsensus: 'Grupos por apoyo transversal',
  byDots: 'Grupos por votos',
  consensusIndex: 'Apoyo transversal (0–1)',
  supportBySector: 'Apoyo por sector (votaron por el grupo / votantes del sector)',
  questionShort: 'Preg.',
  divisive: 'divisivo',
  noVotesYet: 'Aún no hay votos en este tablero.',
  dots: 'Votos',
  roundsHeading: 'Rondas de votación',
  roundsExplained:
    'Cada ronda de votación se guarda por separado y sus votos no se suman a los de otra. Lo que muestran las secciones anteriores es la ronda actual; estas son las rondas anteriores.',
  round: (n: number) => `Ronda ${n}`,
  roundOrigin: { abierto: 'Tablero abierto', votacion: 'Votación' },
  roundBlind: 'a ciegas',
  roundSummary: (dots: number, voters: number) => `${dots === 1 ? '1 voto' : `${dots} votos`} de ${voters === 1 ? '1 persona' : `${voters} personas`}`,
  voters: 'Personas',
  kind: { idea: 'Idea', cluster: 'Grupo' },
  resultsTitle: 'Resultados del taller',
  resultsIntro: (people: number, boards: number) =>
    `${count(people, 'persona participó', 'personas participaron')} en ${count(boards, 'tablero', 'tableros')}.`,
  byComunaChart: 'Participantes por comuna',
  overTimeChart: (minutes: number) => `Ideas y votos en el tiempo (cada ${minutes} min)`,
  contributionHeading: 'Cómo participó cada sector',
  edits: 'Cambios escritos',
  boardFigures: (ideas: number, groups: number, dots: number, people: number) =>
    `${count(ideas, 'idea', 'ideas')}, ${count(groups, 'grupo', 'grupos')}, ${count(dots, 'voto', 'votos')}, ${count(people, 'persona', 'personas')}.`,
  noGroupsOnBoard: 'Aún no hay grupos en este tablero.',
  noIdeasOnBoard: 'Aún no hay ideas en este tablero.',
  topIdeasByDots: 'Ideas con más votos',
  topIdeasByConsensus: 'Ideas con más apoyo transversal',
  interval: 'Desde',
  ideasCount: 'Ideas nuevas'
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
  cluster: 'Group',
  consensusHeading: 'Cross-sector support',
  consensusExplained:
    '"Cross-sector support" measures how much every sector present on the board backs a group of ideas, not only the largest one. ' +
    'For each sector we take the share of its voters who gave the group at least one dot (slightly adjusted so that one person does not speak for a whole sector), ' +
    'and multiply those shares: a group backed by people of every sector scores higher than one with many dots from a single sector. ' +
    'The index goes from 0 to 1. A group is "divisive" when one sector backs it strongly and another hardly at all.',
  byConsensus: 'Groups by cross-sector support',
  byDots: 'Groups by dots',
  consensusIndex: 'Cross-sector support (0–1)',
  supportBySector: 'Support by sector (dotted the group / voters of the sector)',
  questionShort: 'Q.',
  divisive: 'divisive',
  noVotesYet: 'No votes on this board yet.',
  dots: 'Dots',
  roundsHeading: 'Voting rounds',
  roundsExplained:
    'Each voting round is kept apart and its dots are never added to another\'s. The sections above show the current round; these are the earlier rounds.',
  round: (n: number) => `Round ${n}`,
  roundOrigin: { abierto: 'Open board', votacion: 'Voting' },
  roundBlind: 'blind',
  roundSummary: (dots: number, voters: number) => `${dots === 1 ? '1 dot' : `${dots} dots`} from ${voters === 1 ? '1 person' : `${voters} people`}`,
  voters: 'People',
  kind: { idea: 'Idea', cluster: 'Group' },
  resultsTitle: 'Workshop results',
  resultsIntro: (people: number, boards: number) => `${count(people, 'person', 'people')} took part on ${count(boards, 'board', 'boards')}.`,
  byComunaChart: 'Participants by comuna',
  overTimeChart: (minutes: number) => `Ideas and dots over time (every ${minutes} min)`,
  contributionHeading: 'How each sector took part',
  edits: 'Changes written',
  boardFigures: (ideas: number, groups: number, dots: number, people: number) =>
    `${count(ideas, 'idea', 'ideas')}, ${count(groups, 'group', 'groups')}, ${count(dots, 'dot', 'dots')}, ${count(people, 'person', 'people')}.`,
  noGroupsOnBoard: 'No groups on this board yet.',
  noIdeasOnBoard: 'No ideas on this board yet.',
  topIdeasByDots: 'Ideas with most dots',
  topIdeasByConsensus: 'Ideas with most cross-sector support',
  interval: 'From',
  ideasCount: 'New ideas'
};

/** A 0–1 index as people read it: two decimals, with the language's decimal mark. */
export const formatIndex = (value: number, lang: Lang) =>
  new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'es-CL', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(value);

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
