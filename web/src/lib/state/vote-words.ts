/**
 * An idea's or group's votes and cross-sector support said in words, for screen readers (the
 * vote button's name in the lanes) and for the eyes (the list view's lines): one wording for both.
 */
import type { I18n } from '$lib/i18n/index.svelte';
import { sectorLabel } from '$lib/sectors';
import type { TargetSupport } from '../../../../contract/consensus';
import type { Tally } from './board-model';

const decimals = (i18n: I18n, v: number) =>
	new Intl.NumberFormat(i18n.lang === 'en' ? 'en-GB' : 'es-CL', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(v);

/** "3 votos (Comunidad: 2, Academia: 1)", or "Votos ocultos" in a blind round. */
export function votesInWords(i18n: I18n, tally: Tally, blind: boolean): string {
	if (blind) return i18n.t('votesHidden');
	const breakdown = tally.bySector.map(([sector, n]) => `${sectorLabel(sector, i18n.lang) ?? '—'}: ${n}`).join(', ');
	return i18n.plural('votes', tally.total) + (breakdown ? ` (${breakdown})` : '');
}

/** "Apoyo transversal: 0,42 (divisivo)". */
export function supportInWords(i18n: I18n, support: TargetSupport): string {
	return i18n.t('supportIndex', { value: decimals(i18n, support.consensus) }) + (support.divisive ? ` (${i18n.t('resultsDivisive')})` : '');
}

/** "Comunidad: 2 de 3 votantes, Academia: 0 de 1 votante": who backs it, sector by sector. */
export function supportBySectorInWords(i18n: I18n, support: TargetSupport): string {
	return Object.entries(support.supportBySector)
		.map(([sector, s]) => `${sectorLabel(sector, i18n.lang) ?? '—'}: ${i18n.plural('supportersOf', s.voters, { v: s.supporters })}`)
		.join(', ');
}

/** The whole reading in one sentence: votes, support, one's own dots. */
export function tallyInWords(i18n: I18n, tally: Tally, support: TargetSupport | undefined, blind: boolean): string {
	return [votesInWords(i18n, tally, blind), support ? supportInWords(i18n, support) : '', tally.mine > 0 ? i18n.t('votesYours', { n: tally.mine }) : '']
		.filter(Boolean)
		.join('. ');
}

/** The list view's line: "1 voto (Comunidad: 1). Tuyos: 1. Apoyo transversal: 0,67. Apoyo por sector: Comunidad: 1 de 1 votante". */
export function listLineInWords(i18n: I18n, tally: Tally, support: TargetSupport | undefined, blind: boolean): string {
	const sectors = support ? supportBySectorInWords(i18n, support) : '';
	return [tallyInWords(i18n, tally, support, blind), sectors ? i18n.t('supportBySector', { list: sectors }) : ''].filter(Boolean).join('. ');
}
