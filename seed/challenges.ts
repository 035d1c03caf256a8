/**
 * The eight "Desafíos de Innovación Social – Región de Coquimbo 2022" (Instrumento Innova Social
 * Prototipo), transcribed from seed/desafios-coquimbo-2022.txt. This literal data is what the app
 * serves; tests/unit/seed.test.ts proves it matches the source text.
 */

export interface SeedQuestion {
  /** 'desafio-N-pM', M counted from 1 in source order. */
  id: string;
  /** Verbatim question, "¿…?". */
  text: string;
}

export interface SeedChallenge {
  /** 'desafio-1' … 'desafio-8'. */
  id: string;
  /** 1..8. */
  number: number;
  /** Title exactly as in the source (upper case), whitespace normalised. */
  sourceTitle: string;
  /** The same title in sentence case, for reading. */
  title: string;
  /** Context paragraphs following the questions, in order, verbatim (markup removed). */
  context: string[];
  /** Planning documents the context cites, distinct, in order of first mention. */
  references: string[];
  questions: SeedQuestion[];
}

const ERD = 'Estrategia Regional de Desarrollo 2020';
const PDU = 'Política de Desarrollo Urbano Región de Coquimbo 2030';

export const CHALLENGES: readonly SeedChallenge[] = [
  {
    id: 'desafio-1',
    number: 1,
    sourceTitle:
      'MEJORAR DE MANERA INNOVADORA, LAS CONDICIONES PARA LA INSERCIÓN INTEGRAL A LA SOCIEDAD DE LAS PERSONAS CON DISCAPACIDAD, ADULTOS MAYORES, PUEBLOS ORIGINARIOS, NIÑOS, NIÑAS Y JÓVENES, PERSONAS PRIVADAS DE LIBERTAD, PERSONAS MIGRANTES, ENTRE OTROS.',
    title:
      'Mejorar de manera innovadora, las condiciones para la inserción integral a la sociedad de las personas con discapacidad, adultos mayores, pueblos originarios, niños, niñas y jóvenes, personas privadas de libertad, personas migrantes, entre otros.',
    context: [
      'La Estrategia Regional de Desarrollo 2020, establece el lineamiento N° 4 “Una sociedad regional más inclusiva” y, entre los 3 objetivos generales definidos, se vincula al N°1. Mejorar la calidad de la educación como base de un necesario cambio socio cultural y, N°2. Reducir las brechas sociales en los grupos más vulnerables.'
    ],
    references: [ERD],
    questions: [
      {
        id: 'desafio-1-p1',
        text: '¿Cómo generamos mayor conocimiento por parte de la sociedad y mejores aplicaciones innovadoras a los procesos de integración de personas con discapacidad?'
      },
      {
        id: 'desafio-1-p2',
        text: '¿Cómo generamos mejores oportunidades que permitan el desarrollo de un modelo de una integración global de adultos mayores, jóvenes, niños y niñas menores de edad, personas migrantes, personas privadas de libertad, pueblos originarios, entre otras a la sociedad?'
      }
    ]
  },
  {
    id: 'desafio-2',
    number: 2,
    sourceTitle:
      'GENERAR CONDICIONES QUE PROPICIEN EL EQUILIBRIO MULTIROL DE LA MUJER',
    title:
      'Generar condiciones que propicien el equilibrio multirol de la mujer',
    context: [
      'La Estrategia Regional de Desarrollo 2020, establece el lineamiento N° 4 “Una sociedad regional más inclusiva” y, determina el Objetivo General n°3) Incorporar de manera efectiva a la mujer a los distintos ámbitos del desarrollo. Destacan los objetivos específicos 3.1, 3.3, 3.3, 3.4 y 3.5, Mejorar la calidad de vida de las mujeres, Promover la reducción de la brecha salarial, Fomentar la incorporación al mercado del trabajo e Incrementar los canales de participación femenina en las artes y cultura regional, respectivamente.'
    ],
    references: [ERD],
    questions: [
      {
        id: 'desafio-2-p1',
        text: '¿Cómo apoyar el desarrollo y crecimiento de la región integrando permanentemente el enfoque de género?'
      },
      {
        id: 'desafio-2-p2',
        text: '¿Cómo generar condiciones que fomenten la incorporación de la mujer al mercado de trabajo equilibrando los múltiples roles que desarrolla?'
      },
      {
        id: 'desafio-2-p3',
        text: '¿Qué modelo podría apoyar una mayor % de empleos femeninos en los sectores productivos de la región, resguardando la equidad salarial?'
      }
    ]
  },
  {
    id: 'desafio-3',
    number: 3,
    sourceTitle:
      'DESARROLLAR INNOVACIONES QUE PROMUEVAN EL MODELO DE DESARROLLO DE ECONOMÍA CIRCULAR',
    title:
      'Desarrollar innovaciones que promuevan el modelo de desarrollo de economía circular',
    context: [
      'La Estrategia Regional de Desarrollo 2020, establece el desafío N° 3.2.2, La reducción de las brechas temáticas en el espacio regional: Sociales, ambientales, económicas, culturales e institucionales. En el ámbito ambiental, establece que, para reducir las principales brechas identificadas que no van a variar de mantenerse las actuales tendencias (disminución de la disponibilidad del recurso agua, contaminación de las aguas, insuficiencia de transferencia de tecnología, falta de energía, proceso de desertificación, crecimiento de los residuos, una biodiversidad amenazada), se propone impulsar iniciativas y acciones para aumentar la sustentabilidad y sostenibilidad de la base de recursos naturales de la región, entendiendo que ellos están en el centro de la oferta de calidad de vida de la Región.'
    ],
    references: [ERD],
    questions: [
      {
        id: 'desafio-3-p1',
        text: '¿Podemos crear modelos sostenibles a partir de los residuos generados tanto en el ámbito productivo como intradomiciliario?'
      },
      {
        id: 'desafio-3-p2',
        text: '¿Qué alternativas se pueden desarrollar en el territorio que consideren el concepto triple impacto?'
      }
    ]
  },
  {
    id: 'desafio-4',
    number: 4,
    sourceTitle:
      'PROMOVER LA ECONOMÍA COLABORATIVA Y/O LAS OPORTUNIDADES DE APLICACIÓN DE NUEVAS TENDENCIAS TECNOLÓGICAS',
    title:
      'Promover la economía colaborativa y/o las oportunidades de aplicación de nuevas tendencias tecnológicas',
    context: [
      'La Política de Desarrollo Urbano Región de Coquimbo. 2030, establece en el lineamiento N° 2 Ciudades con altos niveles de innovación para el desarrollo del emprendimiento, uso eficiente de los recursos naturales y fortalecimiento social, potenciar la innovación Social como herramienta de colaboración, impulsando la innovación económica enfocada en potenciar el capital intelectual y las industrias creativas.',
      'La Estrategia Regional de Desarrollo 2020, establece el Lineamiento Estratégico n° 5, “Una economía compatible con la preservación de la base de recursos naturales y la calidad de vida como sello regional”, y define el Objetivo General N°3 Potenciar el desarrollo endógeno y la economía residencial.'
    ],
    references: [PDU, ERD],
    questions: [
      {
        id: 'desafio-4-p1',
        text: '¿Podemos crear formas de trabajo colaborativo o la asociatividad entre los distintos actores del territorio?'
      },
      {
        id: 'desafio-4-p2',
        text: '¿Cómo aprovechamos las alternativas y nuevas tendencias tecnológicas para desarrollar el potencial de la región?'
      },
      {
        id: 'desafio-4-p3',
        text: '¿Qué modelo permitiría fortalecer la generación de encadenamiento de los sectores productivos que conforman la economía residencial?'
      }
    ]
  },
  {
    id: 'desafio-5',
    number: 5,
    sourceTitle:
      'APOYAR EL DESARROLLO DE MEJORES CONDICIONES PARA LA CIUDADANIA Y EL TERRITORIO EN EL SISTEMA PRODUCTIVO, SOCIAL, MEDIOAMBIENTAL, TERRITORIAL, CULTURAL Y DE COHESIÓN SOCIAL, EN RELACIÓN CON LA SITUACIÓN ACTUAL, CONSECUENCIA DE LOS PROBLEMAS DERIVADOS DE LA PANDEMIA.',
    title:
      'Apoyar el desarrollo de mejores condiciones para la ciudadanía y el territorio en el sistema productivo, social, medioambiental, territorial, cultural y de cohesión social, en relación con la situación actual, consecuencia de los problemas derivados de la pandemia.',
    context: [
      'La Estrategia Regional de Desarrollo 2020, establece el Lineamiento Estratégico 1” Un crecimiento equilibrado del sistema urbano regional con calidad de vida e integración social”, establece el Objetivo General. Favorecer un desarrollo armónico y equilibrado de las ciudades de la región”, como así también el Lineamiento n° 3, establece como Objetivo General “Mejorar la integración de la zona costera como factor de desarrollo regional”.',
      'Por otra parte, el Lineamiento Estratégico 5 “Una economía compatible con la preservación de la base de recursos naturales y la calidad de vida como sello regional”, y define el Objetivo General N° 4 Mantener y reforzar la calidad de vida con sello regional”, seguido del objetivo específico 4.2 Disminuir las condiciones de vulnerabilidad frente a riesgos de distinta índole.'
    ],
    references: [ERD],
    questions: [
      {
        id: 'desafio-5-p1',
        text: '¿Qué modelo o herramienta permitiría resolver las problemáticas surgidas como efecto negativo de la pandemia, en términos de propiciar un desarrollo del sistema productivo, social, ambiental, territorial, cultural y de cohesión social?'
      },
      {
        id: 'desafio-5-p2',
        text: '¿Se puede generar un modelo que propicie el desarrollo de una estructura económica, reduciendo la fragilidad y asegure la participación activa y permanente de las MiPyMES en la economía a pesar de las condiciones adversas ante eventos impredecibles?'
      },
      {
        id: 'desafio-5-p3',
        text: '¿Qué modelo se puede aplicar para mejorar las condiciones socioeconómicas de la ciudadanía que se vio afectada por la pandemia (sistema educacional, sistema de salud, entre otros)?'
      },
      {
        id: 'desafio-5-p4',
        text: '¿Cómo mejorar las condiciones para las mujeres que son jefas de hogar y perdieron su fuente laboral?'
      }
    ]
  },
  {
    id: 'desafio-6',
    number: 6,
    sourceTitle:
      'MEJORAR DE MANERA INNOVADORA EL ACCESO Y USO EFICIENTE DEL RECURSO HÍDRICO PARA EL CONSUMO HUMANO Y PRODUCTIVO',
    title:
      'Mejorar de manera innovadora el acceso y uso eficiente del recurso hídrico para el consumo humano y productivo',
    context: [
      'La Política de Desarrollo urbano Región de Coquimbo, 2030, establece dentro de los objetivos Compatibilizar el excepcional crecimiento poblacional con la preservación de la calidad de vida y la reducción de los desequilibrios territoriales con las condiciones naturales apremiantes que sufre la región, se suma a esto, el lineamiento estratégico N° 2, el cual tiene por objetivo específico, Fomentar la innovación ambiental buscando alternativas acordes al clima de la región de Coquimbo, con foco en la escasez de agua y la producción sustentable de energía.',
      'La Estrategia Regional de Desarrollo 2020, establece el Lineamiento Estratégico 5 “Una economía compatible con la preservación de la base de recursos naturales y la calidad de vida como sello regional”, y establece como Objetivo General n° 1 Aumentar la sustentabilidad de la base de recursos naturales (renovables y no renovables).'
    ],
    references: [PDU, ERD],
    questions: [
      {
        id: 'desafio-6-p1',
        text: '¿Podemos desarrollar mejores formas y sistemas para cuidar y optimizar el uso del recurso hídrico?'
      },
      {
        id: 'desafio-6-p2',
        text: '¿Podemos crear modelos alternativos para gestionar los recursos hídricos del territorio de manera colaborativa y más eficiente?'
      },
      {
        id: 'desafio-6-p3',
        text: '¿Qué modelo apoyaría la conciliación en el desarrollo de la Región con la disponibilidad del recurso hídrico y la necesidad de la ciudadanía y del sistema productivo?'
      },
      {
        id: 'desafio-6-p4',
        text: '¿Qué modelo, en función de las capacidades de los actores intervinientes del agua en las diferentes cuencas, podría consensuar sobre el manejo del recurso hídrico y que promueva la transferencia y utilización de las nuevas tecnologías para optimizar su uso, especialmente en los micro y pequeños productores?'
      }
    ]
  },
  {
    id: 'desafio-7',
    number: 7,
    sourceTitle:
      'IMPULSAR EL DESARROLLO EQUITATIVO DE CONECTIVIDAD Y ACCESO A SERVICIOS BÁSICOS EN EL TERRITORIO REGIONAL (URBANO–RURAL, CIUDAD CENTRO-PERIFERIA)',
    title:
      'Impulsar el desarrollo equitativo de conectividad y acceso a servicios básicos en el territorio regional (urbano–rural, ciudad centro-periferia)',
    context: [
      'Dentro de los desafíos propuestos en la Estrategia Regional de Desarrollo 2020, establece en el N° 3.2.1 La disminución de los desequilibrios territoriales, para el espacio territorial urbano, se promueve "... la sustentabilidad de los proyectos urbanos reduciendo la segregación espacial, fomentando el desarrollo de espacios públicos, mejorando la calidad de vida en los barrios periféricos, y en los cascos céntricos, entre otros aspectos. Para el ámbito del espacio costero, "se propone mejorar la integración de la zona costera como factor de desarrollo, promover su sustentabilidad buscando el equilibrio entre los distintos usos...".',
      'En el espacio rural, se propone mejorar las condiciones de vida en el espacio rural seco para reducir la extrema pobreza, principalmente en las comunidades agrícolas y desarrollar nuevas formas de empleo y emprendimiento, mejorando las infraestructuras locales, el acceso a la educación y la calidad de la vivienda, entre otros aspectos. En cuanto al desarrollo de polos secundarios y del espacio rural bajo riego, se propone reforzar los polos secundarios, es decir, todos los centros habitados que tiene una función urbana, con la implementación de servicios y acompañar el desarrollo del sector bajo riego, reduciendo la pobreza rural, mejorando la calificación del empleo agrícola, vigilando el uso de las aguas y facilitando la transferencia de tecnologías, salud, entre otros aspectos.'
    ],
    references: [ERD],
    questions: [
      {
        id: 'desafio-7-p1',
        text: '¿Cómo podemos vincular y articular el acceso a los servicios (salud, transporte, conectividad, electricidad, educación, entre otros) para la comunidad?'
      },
      {
        id: 'desafio-7-p2',
        text: '¿Cómo podemos adaptar las oportunidades para disminuir las brechas territoriales sobre la base de mejorar la oferta para mejorar la calidad de vida en el sector urbano, en el borde costero, en el seco y sector rural?'
      },
      {
        id: 'desafio-7-p3',
        text: '¿Qué modelo permitiría propiciar condiciones que pongan como énfasis el logro de ciertos reequilibrios territoriales, rural/urbano, centro/periferia, norte/sur?'
      }
    ]
  },
  {
    id: 'desafio-8',
    number: 8,
    sourceTitle:
      'RESGUARDAR EL PATRIMONIO CULTURAL, PRODUCTIVO Y SOCIAL DE LA POBLACIÓN RESCATANDO LA IDENTIDAD DEL TERRITORIO',
    title:
      'Resguardar el patrimonio cultural, productivo y social de la población rescatando la identidad del territorio',
    context: [
      'Dentro de los desafíos propuestos en la Estrategia Regional de Desarrollo 2020, establece en el N° 3.2.2, La reducción de las brechas temáticas en el espacio regional: Sociales, ambientales, económicas, culturales e institucionales. En cuanto al ámbito cultural, para reforzar la construcción de una identidad regional, que esté en la base de una mayor cohesión social y que permita mejorar la gestión y administración regional, se propone impulsar fórmulas para desarrollar en la región una gestión y administración más inclusiva, socialmente y para reforzar la construcción de una mayor identidad regional, la que dé cuenta de la multiculturalidad e incluya las identidades locales, permitiendo la valoración de los productos locales y una mayor y mejor inserción nacional e internacional de la Región.',
      'En la Política de Desarrollo urbano Región de Coquimbo 2030, se plantea como línea de acción prioritaria el “Promover el desarrollo económico endógeno para incrementar la competitividad territorial, sistema productivo local, y fortalecer la identidad territorial”.'
    ],
    references: [ERD, PDU],
    questions: [
      {
        id: 'desafio-8-p1',
        text: '¿Cómo desarrollar nuevos y mejorados productos y servicios en la actividad productiva del territorio, rescatando la identidad local?'
      },
      {
        id: 'desafio-8-p2',
        text: '¿Cómo aprovechamos las características naturales y capacidades del territorio, para desarrollar nuevas actividades productivas de manera sustentable y sostenible?'
      },
      {
        id: 'desafio-8-p3',
        text: '¿Cómo generar valor en las particularidades locales, traduciéndolas en la base de un nuevo desarrollo más centrado en las personas?'
      },
      {
        id: 'desafio-8-p4',
        text: '¿Cómo apoyar la construcción de una identidad regional donde conviven distintas actividades, como la minería, la agricultura, la pesca, la acuicultura, el sector pecuario, entre otras?'
      },
      {
        id: 'desafio-8-p5',
        text: '¿Cómo desarrollamos acciones en el sistema educativo para generar un cambio cultural orientado a la identidad de la región?'
      },
      {
        id: 'desafio-8-p6',
        text: '¿Qué modelo promueve el fortalecimiento de las estructuras organizacionales, por ejemplo de comunidades agrícolas, que permita dotarlas de nuevos elementos para hacer frente a los desafíos del siglo XXI, pero resguardando su identidad?'
      }
    ]
  }
];
