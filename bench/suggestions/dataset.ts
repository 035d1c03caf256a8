/**
 * A labelled set of workshop ideas for measuring "Sugerir grupos" (issue 14). Written for the
 * purpose, as participants of a Región de Coquimbo workshop type them on a phone: varied wording,
 * synonyms, missing accents and typos, Chilean usage. `group` is the group a careful facilitator
 * would put the idea in (their title for it); `null` means they would leave it alone ("Sin grupo").
 * The grouping follows meaning, not shared words: ideas about the same thing in different words
 * share a group, which a lexical engine cannot always see. That is the point of measuring it.
 */
export interface LabelledIdea {
  id: string;
  text: string;
  group: string | null;
}

export interface LabelledQuestion {
  /** A question of `seed/challenges.ts`. */
  questionId: string;
  ideas: LabelledIdea[];
}

const q = (questionId: string, prefix: string, rows: [group: string | null, text: string][]): LabelledQuestion => ({
  questionId,
  ideas: rows.map(([group, text], i) => ({ id: `${prefix}-${String(i + 1).padStart(2, '0')}`, text, group }))
});

const SENSIBILIZAR = 'Sensibilizar a la comunidad';
const ACCESIBLE = 'Ciudad accesible';
const PEGA = 'Inclusión laboral';
const SENAS = 'Lengua de señas y comunicación';

const CUIDADOS = 'Salas cuna y cuidado infantil';
const FLEXIBLE = 'Jornadas flexibles';
const CORRESP = 'Corresponsabilidad en la casa';
const EMPRENDER = 'Formación y emprendimiento';

const COMPOST = 'Compostaje';
const RECICLAJE = 'Reciclaje y puntos limpios';
const EDU_AMB = 'Educación ambiental';
const EMPRESAS = 'Residuos de las empresas';

const ALFA = 'Alfabetización digital';
const COMERCIO = 'Venta en línea para pymes';
const SOLAR = 'Energía solar';
const DATOS = 'Datos y plataformas públicas';

const OFICIOS = 'Capacitación en oficios';
const PLATA = 'Financiamiento';
const REDES = 'Redes de apoyo y cuidado';
const FERIAS = 'Ferias y comercialización';

const RIEGO = 'Riego eficiente';
const GRISES = 'Reutilizar aguas grises';
const NIEBLA = 'Atrapanieblas y lluvia';
const HOGAR = 'Consumo responsable en la casa';
const APR = 'Agua potable rural';

const TRANSPORTE = 'Transporte rural';
const SENAL = 'Señal e internet';
const SALUD = 'Salud en terreno';
const LUZ = 'Electricidad';

const TURISMO = 'Turismo rural y patrimonial';
const SELLO = 'Sello de origen';
const ARTESANIA = 'Artesanía y pueblos originarios';
const COCINA = 'Gastronomía local';

export const DATASET: readonly LabelledQuestion[] = [
  q('desafio-1-p1', 'dis', [
    [SENSIBILIZAR, 'Charlas en los colegios sobre discapacidad para que los niños crezcan sin prejuicios'],
    [SENSIBILIZAR, 'Campaña en radios locales para sensibilizar a la comunidad sobre la discapacidad'],
    [SENSIBILIZAR, 'talleres de sensibilizacion en juntas de vecinos, que la gente conozca lo que viven las familias'],
    [SENSIBILIZAR, 'Que las personas con discapacidad cuenten su historia en los colegios y liceos'],
    [ACCESIBLE, 'Rampas y veredas en buen estado en el centro de Ovalle, hoy es imposible andar en silla de ruedas'],
    [ACCESIBLE, 'Micros con rampa y piso bajo en todas las líneas de Coquimbo y La Serena'],
    [ACCESIBLE, 'mapa colaborativo de lugares accesibles (baños, rampas, ascensores) hecho por los mismos vecinos'],
    [ACCESIBLE, 'Fiscalizar que los edificios públicos cumplan con la accesibilidad universal, cachai que muchos no tienen ni rampa'],
    [ACCESIBLE, 'Semáforos sonoros para personas ciegas en las esquinas con más tráfico'],
    [PEGA, 'Bolsa de empleo inclusiva en la municipalidad para personas con discapacidad'],
    [PEGA, 'Que las empresas de la region cumplan la ley de inclusion laboral y contraten mas personas con discapacidad'],
    [PEGA, 'Incentivos a las pymes que den pega a personas en situación de discapacidad'],
    [PEGA, 'Acompañar a los trabajadores con discapacidad en sus primeros meses en el trabajo (empleo con apoyo)'],
    [SENAS, 'Cursos de lengua de señas para funcionarios de consultorios y municipios'],
    [SENAS, 'Intérprete de lengua de señas en las noticias regionales y en los actos públicos'],
    [SENAS, 'Enseñar lenguaje de señas en los colegios como ramo optativo'],
    [null, 'Un catastro actualizado de cuántas personas con discapacidad hay en cada comuna y qué necesitan'],
    [null, 'Deporte adaptado: talleres de básquetbol en silla de ruedas en Illapel']
  ]),
  q('desafio-2-p2', 'muj', [
    [CUIDADOS, 'Salas cuna en los lugares de trabajo, o cerca, con horario que calce con la jornada'],
    [CUIDADOS, 'Jardines infantiles con horario extendido hasta las 8 de la tarde'],
    [CUIDADOS, 'Red de cuidadoras certificadas en cada barrio para cuidar a los niños mientras la mamá trabaja'],
    [CUIDADOS, 'Más cupos de sala cuna en las comunas rurales como Río Hurtado y Canela'],
    [CUIDADOS, 'Centros de cuidado para adultos mayores, porque muchas mujeres dejan la pega para cuidar a sus papás'],
    [FLEXIBLE, 'Teletrabajo o jornada mixta para mamás con hijos chicos'],
    [FLEXIBLE, 'Horarios flexibles en las empresas para que las mujeres puedan compatibilizar trabajo y familia'],
    [FLEXIBLE, 'Jornadas parciales bien pagadas, no solo pegas precarias de medio tiempo'],
    [FLEXIBLE, 'Que el horario laboral sea flexible en el sector público como piloto regional'],
    [CORRESP, 'Campañas sobre corresponsabilidad: que los hombres también se hagan cargo de la casa y los hijos'],
    [CORRESP, 'Postnatal para el papá más largo, que no sea solo la mujer la que se queda en la casa'],
    [CORRESP, 'Talleres para parejas sobre repartir las tareas domesticas'],
    [EMPRENDER, 'Capacitación para mujeres en oficios mejor pagados, como electricidad o soldadura para la minería'],
    [EMPRENDER, 'Cursos de emprendimiento para mujeres, con apoyo para formalizar su negocio'],
    [EMPRENDER, 'Becas para que las mujeres terminen sus estudios y se capaciten en carreras técnicas'],
    [EMPRENDER, 'Mentorías de mujeres emprendedoras con experiencia a las que recién parten'],
    [null, 'Transporte seguro de noche para las trabajadoras de turnos en la agroindustria'],
    [null, 'Un observatorio regional de brechas de género con datos por comuna']
  ]),
  q('desafio-3-p1', 'res', [
    [COMPOST, 'Composteras comunitarias en cada plaza para los restos de comida'],
    [COMPOST, 'Entregar composteras y lombricultura a las familias para los residuos orgánicos de la cocina'],
    [COMPOST, 'Compostaje de los desechos de las ferias libres para hacer abono para los huertos'],
    [COMPOST, 'Usar el guano de cabra y los restos de cosecha para hacer compost en Monte Patria'],
    [RECICLAJE, 'Más puntos limpios en Coquimbo, hoy hay que ir lejísimos para reciclar'],
    [RECICLAJE, 'Reciclaje puerta a puerta con recolectores de base, pagándoles un sueldo digno'],
    [RECICLAJE, 'Separar la basura en origen: bolsas de colores para vidrio, plastico y carton'],
    [RECICLAJE, 'Máquinas que te den un descuento en la micro por cada botella que recicles'],
    [RECICLAJE, 'Contenedores de reciclaje en los sectores rurales, que el camión pase una vez al mes'],
    [EDU_AMB, 'Educación ambiental en las escuelas desde prekinder: reducir, reutilizar, reciclar'],
    [EDU_AMB, 'Brigadas ecológicas de estudiantes que enseñen a sus vecinos a separar residuos'],
    [EDU_AMB, 'Talleres para la comunidad sobre cómo generar menos basura en la casa'],
    [EMPRESAS, 'Que la agroindustria reutilice sus desechos plásticos de invernaderos y mangueras de riego'],
    [EMPRESAS, 'Plataforma para que una empresa venda sus residuos a otra que los usa como materia prima'],
    [EMPRESAS, 'Las mineras deberían reciclar neumáticos y chatarra en la region en vez de acopiarlos'],
    [EMPRESAS, 'Certificar a las empresas que reducen sus residuos industriales y darles beneficios'],
    [null, 'Fiscalización y multas a los que botan escombros en los microbasurales de la quebrada'],
    [null, 'Ropa de segunda mano: ferias de intercambio de ropa en La Serena']
  ]),
  q('desafio-4-p2', 'tec', [
    [ALFA, 'Cursos de computación para adultos mayores en las sedes vecinales'],
    [ALFA, 'Enseñarle a los abuelitos a usar el celular para pedir horas médicas y hacer trámites'],
    [ALFA, 'Jóvenes voluntarios que enseñen a usar internet y whatsapp a los adultos mayores'],
    [ALFA, 'Alfabetizacion digital para la gente del campo que nunca ha usado un computador'],
    [COMERCIO, 'Capacitar a las pymes para vender por internet y redes sociales'],
    [COMERCIO, 'Un marketplace regional donde los productores del valle vendan en linea sin intermediarios'],
    [COMERCIO, 'Que los almacenes de barrio acepten pago con tarjeta y transferencia, hay muchos que solo reciben efectivo'],
    [COMERCIO, 'Apoyo para que los emprendedores tengan su tienda online y hagan despachos'],
    [SOLAR, 'Aprovechar el sol del norte chico con paneles solares en las casas y los colegios'],
    [SOLAR, 'Energía solar para bombear agua en los campos de los crianceros'],
    [SOLAR, 'Cooperativas de energía solar comunitaria en Vicuña y Paihuano'],
    [SOLAR, 'Secadores solares para fruta y hierbas, aprovechando la radiacion del valle'],
    [DATOS, 'Una app municipal para reportar baches, luminarias apagadas y basura'],
    [DATOS, 'Datos abiertos de la región (agua, clima, turismo) para que los emprendedores creen soluciones'],
    [DATOS, 'Plataforma digital para hacer todos los trámites municipales sin ir a la muni'],
    [null, 'Drones para monitorear los cultivos y detectar plagas a tiempo'],
    [null, 'Aprovechar los observatorios astronómicos para formar técnicos en ciencia de datos'],
    [null, 'Impresoras 3D en los liceos técnicos para que los cabros aprendan a fabricar prototipos']
  ]),
  q('desafio-5-p4', 'jef', [
    [OFICIOS, 'Capacitación en oficios para jefas de hogar: gasfitería, electricidad, peluquería'],
    [OFICIOS, 'cursos sence con horario compatible para las mamas que estan solas con sus hijos'],
    [OFICIOS, 'Certificar las competencias que ya tienen, muchas saben coser o cocinar pero no tienen papel'],
    [OFICIOS, 'Capasitacion en computacion y contabilidad basica para que puedan postular a mejores pegas'],
    [PLATA, 'Microcréditos sin tanto requisito para que las jefas de hogar partan un negocio'],
    [PLATA, 'Capital semilla especial para mujeres que perdieron su trabajo en la pandemia'],
    [PLATA, 'Fondos concursables más simples, que no haya que tener pituto para ganarlos'],
    [PLATA, 'Bono de reactivación para jefas de hogar cesantes mientras encuentran trabajo'],
    [REDES, 'Redes de apoyo entre vecinas para cuidar a los niños por turnos'],
    [REDES, 'Grupos de apoyo psicológico para mujeres que quedaron sin trabajo y están con depresión'],
    [REDES, 'Que el municipio tenga una oficina que oriente a las jefas de hogar sobre todos los beneficios'],
    [REDES, 'Acompañamiento de una dupla psicosocial a las familias monoparentales'],
    [FERIAS, 'Ferias de emprendedoras en las plazas los fines de semana, sin cobrar permiso'],
    [FERIAS, 'Espacios gratis en las ferias costumbristas para las mujeres que venden sus productos'],
    [FERIAS, 'Un local comunitario donde vender lo que hacen: tejidos, conservas, pan amasado'],
    [FERIAS, 'Que las compras públicas del municipio prioricen a las emprendedoras jefas de hogar'],
    [null, 'Preferencia en la postulación a viviendas sociales para jefas de hogar cesantes'],
    [null, 'Bolsa de trabajo por whatsapp con las ofertas de la zona, cachai, algo simple']
  ]),
  q('desafio-6-p1', 'agua', [
    [RIEGO, 'Riego por goteo para los pequeños agricultores en vez de riego por inundación'],
    [RIEGO, 'Subsidio para tecnificar el riego en los huertos del Limarí'],
    [RIEGO, 'Sensores de humedad del suelo para regar solo cuando la planta lo necesita'],
    [RIEGO, 'Revestir los canales de regadío para que no se pierda agua en el camino'],
    [RIEGO, 'Riego nocturno y programado para que se evapore menos'],
    [GRISES, 'Reutilizar las aguas grises de la lavadora y la ducha para regar el jardín'],
    [GRISES, 'Sistemas de aguas grises en los colegios para regar las áreas verdes'],
    [GRISES, 'Que las plantas de tratamiento entreguen agua tratada para riego de plazas'],
    [NIEBLA, 'Atrapanieblas en La Higuera y en la costa para juntar agua de la camanchaca'],
    [NIEBLA, 'Cosechar agua de lluvia con estanques en los techos de las casas rurales'],
    [NIEBLA, 'Más atrapa nieblas comunitarios, como el de Chungungo, en otras caletas'],
    [HOGAR, 'Campañas para ahorrar agua en la casa: duchas cortas, cerrar la llave al lavarse los dientes'],
    [HOGAR, 'Entregar aireadores y reductores de caudal gratis para las llaves de los hogares'],
    [HOGAR, 'Tarifa que premie a las familias que consumen menos agua cada mes'],
    [APR, 'Arreglar las fugas de las redes de agua potable rural, se pierde muchísima agua'],
    [APR, 'Capacitar a los dirigentes de los APR en gestión y mantención de sus sistemas'],
    [APR, 'Medidores inteligentes en los comités de agua potable rural para detectar filtraciones'],
    [null, 'Una planta desaladora para Coquimbo y La Serena'],
    [null, 'Cambiar el pasto de las plazas por plantas nativas que necesitan poca agua']
  ]),
  q('desafio-7-p1', 'serv', [
    [TRANSPORTE, 'Más recorridos de micro rurales, en Canela pasa una sola al día'],
    [TRANSPORTE, 'Transporte a demanda: un furgón que se pide por teléfono para ir al pueblo'],
    [TRANSPORTE, 'Subsidio al transporte para que los estudiantes rurales lleguen al liceo'],
    [TRANSPORTE, 'Buses que conecten los valles con los hospitales de Ovalle e Illapel, con horarios que sirvan'],
    [SENAL, 'Antenas de celular en los sectores donde no hay señal, como en Río Hurtado'],
    [SENAL, 'Internet gratis en las plazas y sedes comunitarias de las localidades rurales'],
    [SENAL, 'Mejorar la conectibidad en el campo, los niños no pudieron hacer clases online en la pandemia'],
    [SENAL, 'Fibra óptica o internet satelital para las escuelas rurales'],
    [SALUD, 'Rondas médicas más seguido en las postas rurales, no una vez al mes'],
    [SALUD, 'Telemedicina en las postas para que el especialista atienda por videollamada'],
    [SALUD, 'Un bus de salud que recorra las localidades con dentista, matrona y oftalmólogo'],
    [SALUD, 'Que los remedios lleguen a domicilio a los adultos mayores del campo'],
    [LUZ, 'Paneles solares para las casas que todavía no tienen luz eléctrica en la precordillera'],
    [LUZ, 'Extender la red eléctrica a las comunidades agrícolas que siguen sin electricidad'],
    [LUZ, 'Generadores de respaldo en las postas para cuando se corta la luz'],
    [null, 'Ventanilla única en el municipio para hacer todos los trámites de servicios en un solo lugar'],
    [null, 'Un catastro con la comunidad de qué servicios faltan en cada localidad'],
    [null, 'Bibliotecas móviles que vayan a los pueblos con libros y talleres']
  ]),
  q('desafio-8-p1', 'ide', [
    [TURISMO, 'Rutas turísticas por las comunidades agrícolas, que el turista viva la vida del campo'],
    [TURISMO, 'Turismo rural con alojamiento en casas de familias del valle de Elqui'],
    [TURISMO, 'Circuito patrimonial de las iglesias y pueblos antiguos del Limarí'],
    [TURISMO, 'Guías turísticos locales capacitados que cuenten la historia de cada pueblo'],
    [SELLO, 'Sello de origen para el queso de cabra de los crianceros'],
    [SELLO, 'Denominación de origen para la papaya de La Serena y el pisco del Elqui'],
    [SELLO, 'Una marca regional que certifique los productos hechos en la región de Coquimbo'],
    [SELLO, 'Etiquetas que cuenten la historia del productor y de dónde viene el producto'],
    [ARTESANIA, 'Rescatar la alfarería y cerámica diaguita con talleres para los jóvenes'],
    [ARTESANIA, 'Tiendas de artesanía local en los aeropuertos y terminales de buses'],
    [ARTESANIA, 'Apoyar a los artesanos del cobre y los tejidos en telar para vender afuera'],
    [ARTESANIA, 'Que las comunidades diaguitas y changos participen en el diseño de los productos'],
    [COCINA, 'Ruta gastronómica con las cocinerías de las caletas de pescadores'],
    [COCINA, 'Festival de comida típica: empanadas de mariscos, queso de cabra, dulces de papaya'],
    [COCINA, 'Recetario regional rescatando las comidas de las abuelas del campo'],
    [null, 'Un museo vivo de la minería en Andacollo'],
    [null, 'Apps con realidad aumentada para mostrar la historia en los lugares patrimoniales']
  ])
];
