import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHALLENGES } from '../../seed/challenges.ts';
import { parseSource } from '../../seed/parse-source.ts';

const questionsOf = (id: string) => CHALLENGES.find((c) => c.id === id)!.questions.map((q) => q.text);
const contextOf = (id: string) => CHALLENGES.find((c) => c.id === id)!.context;

/**
 * A call for proposals as a facilitator would paste it: three excerpts of
 * seed/desafios-coquimbo-2022.txt in its three layouts (title after a tab with a rule below, title
 * on the next line, `<p>` blocks), between the document's header and its list of sources.
 */
const PASTED = `DESAFÍOS DE INNOVACIÓN SOCIAL – REGIÓN DE COQUIMBO 2022

Instrumento Innova Social Prototipo
Desafíos priorizados – Región de Coquimbo.

DESAFÍO 2	GENERAR CONDICIONES QUE PROPICIEN EL EQUILIBRIO MULTIROL DE LA MUJER
------------------	---

¿Cómo apoyar el desarrollo y crecimiento de la región integrando permanentemente el enfoque de género?, ¿Cómo generar condiciones que fomenten la incorporación de la mujer al mercado de trabajo equilibrando los múltiples roles que desarrolla?, ¿Qué modelo podría apoyar una mayor % de empleos femeninos en los sectores productivos de la región, resguardando la equidad salarial?

La Estrategia Regional de Desarrollo 2020, establece el lineamiento N° 4 “Una sociedad regional más inclusiva” y, determina el **Objetivo General n°3) Incorporar de manera efectiva a la mujer a los distintos ámbitos del desarrollo**. Destacan los objetivos específicos 3.1, 3.3, 3.3, 3.4 y 3.5, Mejorar la calidad de vida de las mujeres, Promover la reducción de la brecha salarial, Fomentar la incorporación al mercado del trabajo e Incrementar los canales de participación femenina en las artes y cultura regional, respectivamente.

DESAFÍO 4

PROMOVER LA ECONOMÍA COLABORATIVA Y/O LAS OPORTUNIDADES DE APLICACIÓN DE NUEVAS TENDENCIAS TECNOLÓGICAS

¿Podemos crear formas de trabajo colaborativo o la asociatividad entre los distintos actores del territorio?, ¿Cómo aprovechamos las alternativas y nuevas tendencias tecnológicas para desarrollar el potencial de la región?, ¿Qué modelo permitiría fortalecer la generación de encadenamiento de los sectores productivos que conforman la economía residencial?

La Política de Desarrollo Urbano Región de Coquimbo. 2030, establece en el lineamiento N° 2 Ciudades con altos niveles de innovación para el desarrollo del emprendimiento, uso eficiente de los recursos naturales y fortalecimiento social, potenciar la innovación Social como herramienta de colaboración, impulsando la innovación económica enfocada en **potenciar el capital intelectual y las industrias creativas**.

La Estrategia Regional de Desarrollo 2020, establece el Lineamiento Estratégico n° 5, “Una economía compatible con la preservación de la base de recursos naturales y la calidad de vida como sello regional”, y define el Objetivo General N°3 Potenciar el desarrollo endógeno y la economía residencial.

DESAFÍO 7	IMPULSAR EL DESARROLLO EQUITATIVO DE CONECTIVIDAD Y ACCESO A SERVICIOS BÁSICOS EN EL TERRITORIO REGIONAL (URBANO–RURAL, CIUDAD CENTRO-PERIFERIA)
<p>¿Cómo podemos vincular y articular el acceso a los servicios (salud, transporte, conectividad, electricidad, educación, entre otros) para la comunidad?, ¿Cómo podemos adaptar las oportunidades para disminuir las brechas territoriales sobre la base de mejorar la oferta para mejorar la calidad de vida en el sector urbano, en el borde costero, en el seco y sector rural?, ¿Qué modelo permitiría propiciar condiciones que pongan como énfasis el logro de ciertos reequilibrios territoriales, rural/urbano, centro/periferia, norte/sur?.</p>	
<p>Dentro de los desafíos propuestos en la Estrategia Regional de Desarrollo 2020, establece en el N° 3.2.1 La disminución de los desequilibrios territoriales, para el espacio territorial urbano, se promueve "... la sustentabilidad de los proyectos urbanos reduciendo la segregación espacial, fomentando el desarrollo de espacios públicos, mejorando la calidad de vida en los barrios periféricos, y en los cascos céntricos, entre otros aspectos. Para el ámbito del espacio costero, "se propone mejorar la integración de la zona costera como factor de desarrollo, promover su sustentabilidad buscando el equilibrio entre los distintos usos...".</p> <p>En el espacio rural, se propone mejorar las condiciones de vida en el espacio rural seco para reducir la extrema pobreza, principalmente en las comunidades agrícolas y desarrollar nuevas formas de empleo y emprendimiento, mejorando las infraestructuras locales, el acceso a la educación y la calidad de la vivienda, entre otros aspectos. En cuanto al desarrollo de polos secundarios y del espacio rural bajo riego, se propone reforzar los polos secundarios, es decir, todos los centros habitados que tiene una función urbana, con la implementación de servicios y acompañar el desarrollo del sector bajo riego, reduciendo la pobreza rural, mejorando la calificación del empleo agrícola, vigilando el uso de las aguas y facilitando la transferencia de tecnologías, salud, entre otros aspectos.</p>	

Fuente

- *Estrategia Regional de Desarrollo 2020*
`;

describe('parseSource on a pasted call for proposals', () => {
  const parsed = parseSource(PASTED);

  it('finds the three challenges with their numbers and titles as printed', () => {
    expect(parsed.map((c) => c.number)).toEqual([2, 4, 7]);
    expect(parsed.map((c) => c.sourceTitle)).toEqual(['desafio-2', 'desafio-4', 'desafio-7'].map((id) => CHALLENGES.find((c) => c.id === id)!.sourceTitle));
  });

  it('extracts the 3, 3 and 3 questions verbatim, each with its own "¿…?"', () => {
    expect(parsed.map((c) => c.questions)).toEqual([questionsOf('desafio-2'), questionsOf('desafio-4'), questionsOf('desafio-7')]);
    expect(parsed[0]!.questions[2]).toBe('¿Qué modelo podría apoyar una mayor % de empleos femeninos en los sectores productivos de la región, resguardando la equidad salarial?');
    expect(parsed[2]!.questions[2]).toMatch(/norte\/sur\?$/);
  });

  it('keeps each context paragraph verbatim, without markup, and leaves the sources out', () => {
    expect(parsed.map((c) => c.context)).toEqual([contextOf('desafio-2'), contextOf('desafio-4'), contextOf('desafio-7')]);
    expect(parsed[2]!.context.join(' ')).not.toMatch(/Fuente|\*Estrategia/);
  });

  it('reads the same text with Windows line ends', () => {
    expect(parseSource(PASTED.replace(/\n/g, '\r\n'))).toEqual(parsed);
  });

  it('reads headings as people retype them, questions one per line and lines wrapped by a PDF', () => {
    const text = [
      'Desafío 1: Agua para las escuelas rurales',
      '¿Cómo cuidamos el agua',
      'de las escuelas?',
      '¿ Quién mantiene los estanques?',
      '',
      'Las escuelas de Río Hurtado reciben agua en camión. Muchas',
      '',
      'no tienen estanques.',
      '',
      'DESAFÍO N° 2 – Caleta de Los Vilos',
      '',
      '**¿Qué vende la caleta en invierno?**'
    ].join('\n');
    expect(parseSource(text)).toEqual([
      {
        number: 1,
        sourceTitle: 'Agua para las escuelas rurales',
        questions: ['¿Cómo cuidamos el agua de las escuelas?', '¿Quién mantiene los estanques?'],
        context: ['Las escuelas de Río Hurtado reciben agua en camión. Muchas no tienen estanques.']
      },
      { number: 2, sourceTitle: 'Caleta de Los Vilos', questions: ['¿Qué vende la caleta en invierno?'], context: [] }
    ]);
  });

  it('returns a challenge without questions as such, and nothing for a text without headings', () => {
    expect(parseSource('DESAFÍO 3\tSOLO UN TÍTULO\n\nUn párrafo sin preguntas.')).toEqual([
      { number: 3, sourceTitle: 'SOLO UN TÍTULO', questions: [], context: ['Un párrafo sin preguntas.'] }
    ]);
    expect(parseSource('Hola, ¿cómo están?\n\nNada que ver.')).toEqual([]);
    expect(parseSource('')).toEqual([]);
  });

  it('never throws, whatever is pasted', () => {
    const pieces = fc.constantFrom('DESAFÍO 1', 'DESAFÍO', '¿', '?', ', ', '<p>', '</p>', '**', '\n', '\r\n', '\t', '---', 'Fuente', 'texto', '.', ' ');
    fc.assert(
      fc.property(fc.array(fc.oneof(pieces, fc.string()), { maxLength: 60 }), (parts) => {
        for (const c of parseSource(parts.join(''))) {
          expect(Number.isInteger(c.number)).toBe(true);
          for (const q of c.questions) expect(q.startsWith('¿')).toBe(true);
        }
      })
    );
  });
});
