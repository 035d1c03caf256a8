/**
 * Sector labels (from the shared reference lists) and one colour family per sector.
 * `fg` on `bg` (badges) and white on `solid` (avatars) both have a contrast ratio ≥ 4.5:1;
 * checked when the palette was chosen, see the report of web/.
 */
import { COMUNAS, OTHER_COMUNA, SECTORS, type Comuna, type SectorId } from '../../../seed/reference';
import type { Lang } from './i18n/index.svelte';

export { COMUNAS, SECTORS };
export type { Comuna, SectorId };

export interface SectorColour {
	solid: string;
	bg: string;
	fg: string;
}

export const SECTOR_COLOURS: Record<SectorId, SectorColour> = {
	comunidad: { solid: '#2b7a4b', bg: '#e2f2e7', fg: '#1b5434' },
	universidad: { solid: '#2f5fb3', bg: '#e3ebf9', fg: '#1f437f' },
	mipyme: { solid: '#9a5200', bg: '#fcefd8', fg: '#703c00' },
	sector_publico: { solid: '#6b47a8', bg: '#eee6f8', fg: '#4a2d7d' },
	organizacion_social: { solid: '#a3336f', bg: '#f8e3ee', fg: '#7a2152' },
	otro: { solid: '#57606b', bg: '#eaedf0', fg: '#3a4149' }
};

/** Facilitators and unknown sectors. */
export const NEUTRAL_COLOUR: SectorColour = { solid: '#8f3515', bg: '#fbe7dc', fg: '#7a2c10' };

export function sectorColour(id: string | null | undefined): SectorColour {
	return (id && SECTOR_COLOURS[id as SectorId]) || NEUTRAL_COLOUR;
}

/** A comuna as the UI shows it: place names as they are, "Otra comuna" in the UI's language. */
export function comunaLabel(comuna: string, t: (key: 'comunaOther') => string): string {
	return comuna === OTHER_COMUNA ? t('comunaOther') : comuna;
}

export function sectorLabel(id: string | null | undefined, lang: Lang): string | null {
	const s = SECTORS.find((x) => x.id === id);
	return s ? s.label[lang] : null;
}

/** A short label for tight places (cards on a phone): the part before " / ". */
export function sectorShortLabel(id: string | null | undefined, lang: Lang): string | null {
	return sectorLabel(id, lang)?.split(' / ')[0] ?? null;
}
