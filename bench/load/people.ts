import type { Random } from '../lib/random.ts';

/** Who the simulated participants are: names, sectors and comunas of the Región de Coquimbo. */
export const SECTORS = ['comunidad', 'universidad', 'mipyme', 'sector_publico', 'organizacion_social', 'otro'] as const;
export const COMUNAS = [
  'La Serena', 'Coquimbo', 'Andacollo', 'La Higuera', 'Paihuano', 'Vicuña', 'Illapel', 'Canela', 'Los Vilos',
  'Salamanca', 'Ovalle', 'Combarbalá', 'Monte Patria', 'Punitaqui', 'Río Hurtado'
] as const;
const FIRST = ['Ana', 'Luis', 'Camila', 'Jorge', 'Valentina', 'Pedro', 'Francisca', 'Matías', 'Javiera', 'Tomás', 'Rosa', 'Diego'];
const LAST = ['Rojas', 'Araya', 'Cortés', 'Pizarro', 'Contreras', 'Castillo', 'Alfaro', 'Olivares', 'Tapia', 'Vega'];
const TOPICS = [
  'huertos comunitarios', 'transporte rural', 'agua para riego', 'talleres para personas mayores', 'ferias locales',
  'reciclaje en la escuela', 'turismo astronómico', 'salud mental juvenil', 'caletas de pescadores', 'accesibilidad universal'
];

export interface Person {
  name: string;
  sector: string;
  comuna: string;
}

export function person(rng: Random, index: number): Person {
  return {
    name: `${rng.pick(FIRST)} ${rng.pick(LAST)} ${index}`,
    sector: rng.pick(SECTORS),
    comuna: rng.pick(COMUNAS)
  };
}

/** An idea's text, 40–120 characters, Spanish. */
export function ideaText(rng: Random, comuna: string): string {
  return `Propuesta: ${rng.pick(TOPICS)} en ${comuna}, con apoyo de ${rng.pick(TOPICS)}`;
}
