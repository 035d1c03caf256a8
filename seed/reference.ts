/** Reference lists of DESIGN.md: ids travel in the API, labels are shown in the UI. */

export const SECTORS = [
  { id: 'comunidad', label: { es: 'Comunidad / sociedad civil', en: 'Community / civil society' } },
  { id: 'universidad', label: { es: 'Universidad / centro de investigación', en: 'University / research centre' } },
  { id: 'mipyme', label: { es: 'MiPyME / emprendimiento', en: 'Small business / start-up' } },
  { id: 'sector_publico', label: { es: 'Sector público', en: 'Public sector' } },
  { id: 'organizacion_social', label: { es: 'Organización social / fundación', en: 'Social organisation / foundation' } },
  { id: 'otro', label: { es: 'Otro', en: 'Other' } }
] as const;

export type SectorId = (typeof SECTORS)[number]['id'];
export const SECTOR_IDS = SECTORS.map((s) => s.id) as SectorId[];

/** The value stored for someone from outside the region (the UI translates its label). */
export const OTHER_COMUNA = 'Otra comuna';

/** The 15 comunas of the Región de Coquimbo, then "Otra comuna". */
export const COMUNAS = [
  'La Serena',
  'Coquimbo',
  'Andacollo',
  'La Higuera',
  'Paihuano',
  'Vicuña',
  'Illapel',
  'Canela',
  'Los Vilos',
  'Salamanca',
  'Ovalle',
  'Combarbalá',
  'Monte Patria',
  'Punitaqui',
  'Río Hurtado',
  OTHER_COMUNA
] as const;

export type Comuna = (typeof COMUNAS)[number];

export const isSectorId = (value: string): value is SectorId => (SECTOR_IDS as string[]).includes(value);
