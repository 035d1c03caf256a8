/**
 * The sections of an "Innova Social Prototipo" application draft, in order. Each is a `Y.Text`
 * in the board's `proposal` map under its key.
 */
export const PROPOSAL_SECTIONS = [
  {
    key: 'problema',
    label: { es: 'Problema u oportunidad', en: 'Problem or opportunity' },
    hint: { es: '¿Qué problema u oportunidad del territorio aborda la propuesta? ¿A quiénes afecta?', en: 'Which problem or opportunity of the territory does the proposal address? Whom does it affect?' }
  },
  {
    key: 'solucion',
    label: { es: 'Solución propuesta', en: 'Proposed solution' },
    hint: { es: '¿Qué proponen hacer y cómo funciona?', en: 'What do you propose to do, and how does it work?' }
  },
  {
    key: 'publico',
    label: { es: 'Público objetivo y territorio (comunas)', en: 'Target group and territory (comunas)' },
    hint: { es: '¿Para quiénes es y en qué comunas se implementa?', en: 'Who is it for, and in which comunas?' }
  },
  {
    key: 'actores',
    label: { es: 'Actores involucrados', en: 'Stakeholders' },
    hint: { es: 'Comunidad, universidades, MiPyMEs, sector público, organizaciones sociales…', en: 'Community, universities, small businesses, public sector, social organisations…' }
  },
  {
    key: 'innovacion',
    label: { es: 'Innovación', en: 'Innovation' },
    hint: { es: '¿Qué tiene de nuevo respecto de lo que ya existe?', en: 'What is new compared with what already exists?' }
  },
  {
    key: 'impacto',
    label: { es: 'Impacto esperado (social, ambiental, económico)', en: 'Expected impact (social, environmental, economic)' },
    hint: { es: 'El triple impacto: ¿qué cambia para las personas, el ambiente y la economía local?', en: 'The triple impact: what changes for people, the environment and the local economy?' }
  },
  {
    key: 'plan',
    label: { es: 'Plan de prototipo y próximos pasos', en: 'Prototype plan and next steps' },
    hint: { es: '¿Cómo probarán la idea, en cuánto tiempo y con qué recursos?', en: 'How will you test the idea, in how long, with what resources?' }
  },
  {
    key: 'riesgos',
    label: { es: 'Riesgos y supuestos', en: 'Risks and assumptions' },
    hint: { es: '¿Qué tiene que ser cierto para que funcione? ¿Qué podría salir mal?', en: 'What must be true for it to work? What could go wrong?' }
  }
] as const;

export type ProposalSectionKey = (typeof PROPOSAL_SECTIONS)[number]['key'];
