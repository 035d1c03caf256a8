import { describe, expect, it } from 'vitest';
import { fold } from '../../server/src/suggestions/normalise.ts';
import { isStopWord } from '../../server/src/suggestions/stop-words.ts';
import { analyse } from '../../server/src/suggestions/terms.ts';
import { tokenise } from '../../server/src/suggestions/tokenise.ts';
import { createSuggestionMemo } from '../../server/src/suggestions/memo.ts';
import { suggestGroups, type IdeaText } from '../../server/src/suggestions/suggest.ts';

const ideas = (...texts: string[]): IdeaText[] => texts.map((text, i) => ({ id: `i${i}`, text }));
const stems = (text: string) => analyse(text).terms.map((t) => t.stem);
const asSets = (groups: { ideaIds: string[] }[]) => groups.map((g) => [...g.ideaIds].sort()).sort();

describe('Spanish normalisation', () => {
  it('folds case, accents and ñ for matching', () => {
    expect(fold('Capacitación SEQUÍA Niños pingüino')).toBe('capacitacion sequia ninos pinguino');
  });

  it('keeps what people wrote for display, in lower case', () => {
    expect(tokenise('Señal en Río Hurtado, ¿cachai?')).toEqual([
      { surface: 'señal', key: 'senal' },
      { surface: 'en', key: 'en' },
      { surface: 'río', key: 'rio' },
      { surface: 'hurtado', key: 'hurtado' },
      { surface: 'cachai', key: 'cachai' }
    ]);
  });

  it('drops numbers and one-letter words, keeps hyphenated words whole', () => {
    expect(tokenise('3 talleres y 24/7 e-mail').map((t) => t.surface)).toEqual(['talleres', 'e-mail']);
  });

  it('treats function words and Chilean fillers as stop words, but not jobs or older people', () => {
    for (const w of ['de', 'que', 'para', 'cachai', 'po', 'crear']) expect(isStopWord(w), w).toBe(true);
    for (const w of ['trabajo', 'empleo', 'mayor', 'agua', 'pega']) expect(isStopWord(w), w).toBe(false);
  });

  it('gives one stem to the forms of a word, with or without accents', () => {
    const [a] = stems('capacitación');
    expect(stems('capacitacion capacitaciones Capacitación')).toEqual([a, a, a]);
    expect(stems('sequía sequia')).toEqual([stems('sequías')[0], stems('sequías')[0]]);
  });
});

describe('suggestGroups', () => {
  const question = '¿Podemos desarrollar mejores formas y sistemas para cuidar y optimizar el uso del recurso hídrico?';

  it('answers nothing for no ideas, and leaves a single idea unplaced', () => {
    expect(suggestGroups({ question, ideas: [] })).toEqual({ groups: [], unplaced: [] });
    expect(suggestGroups({ question, ideas: ideas('Riego por goteo') })).toEqual({ groups: [], unplaced: ['i0'] });
  });

  it('leaves ideas with no telling word unplaced', () => {
    expect(suggestGroups({ question, ideas: ideas('¿Y si lo hacemos?', 'que sí, po', '!!!') })).toEqual({ groups: [], unplaced: ['i0', 'i1', 'i2'] });
  });

  it('groups near-duplicates and leaves unrelated ideas unplaced', () => {
    const result = suggestGroups({
      question,
      ideas: ideas(
        'Riego por goteo para los pequeños agricultores',
        'Una desaladora para Coquimbo',
        'riego x goteo en los huertos de los agricultores',
        'Campañas en la radio para ahorrar en la ducha',
        'Subsidio al riego tecnificado por goteo'
      )
    });
    expect(asSets(result.groups)).toEqual([['i0', 'i2', 'i4']]);
    expect(result.unplaced).toEqual(['i1', 'i3']);
  });

  it('keeps unrelated ideas apart', () => {
    const result = suggestGroups({
      question,
      ideas: ideas('Atrapanieblas en La Higuera', 'Medidores inteligentes en los APR', 'Plantas nativas en las plazas', 'Tarifa según consumo')
    });
    expect(result.groups).toEqual([]);
    expect(result.unplaced).toEqual(['i0', 'i1', 'i2', 'i3']);
  });

  it('titles a group with its shared words as people wrote them, and says why', () => {
    const texts = ['Cursos de lengua de señas para funcionarios', 'Intérprete de lengua de señas en las noticias', 'Enseñar lengua de señas en los colegios'];
    const result = suggestGroups({ question: '¿Cómo generamos conocimiento sobre la discapacidad?', ideas: ideas(...texts) });
    expect(result.groups).toHaveLength(1);
    const [group] = result.groups;
    expect(group!.title).toBe('Lengua de señas');
    expect(group!.words).toEqual(expect.arrayContaining(['lengua', 'señas']));
    for (const word of group!.words) {
      const using = texts.filter((text) => stems(text).includes(stems(word)[0]!));
      expect(using.length, word).toBeGreaterThanOrEqual(2);
    }
  });

  it('shows the form most ideas use, accents and ñ included', () => {
    const result = suggestGroups({
      question: '¿Cómo apoyamos a las jefas de hogar?',
      ideas: ideas('Capacitación en computación', 'capacitacion en computacion básica', 'Capacitación y computación para todas')
    });
    expect(result.groups[0]!.words).toEqual(['capacitación', 'computación']);
  });

  it('counts the question’s own words less than others', () => {
    const two = ideas('Cuidar el recurso en los huertos comunitarios', 'Cuidar el recurso con medidores');
    expect(suggestGroups({ question, ideas: two }).groups).toEqual([]);
    expect(suggestGroups({ question, ideas: two }, { questionWordWeight: 1 }).groups).toHaveLength(1);
  });

  it('gives the same answer for the same ideas, in any order', () => {
    const list = ideas(
      'Riego por goteo para agricultores',
      'riego por goteo en huertos',
      'Atrapanieblas en la costa',
      'atrapanieblas comunitarios en caletas',
      'Desaladora para La Serena'
    );
    const first = suggestGroups({ question, ideas: list });
    expect(suggestGroups({ question, ideas: list })).toEqual(first);
    const reversed = suggestGroups({ question, ideas: [...list].reverse() });
    expect(asSets(reversed.groups)).toEqual(asSets(first.groups));
    expect(reversed.groups.map((g) => g.title).sort()).toEqual(first.groups.map((g) => g.title).sort());
    expect([...reversed.unplaced].sort()).toEqual([...first.unplaced].sort());
  });

  it('lists a group’s ideas in the order they came, largest group first', () => {
    const result = suggestGroups({
      question,
      ideas: [
        { id: 'z', text: 'Atrapanieblas en la costa' },
        { id: 'y', text: 'riego por goteo en huertos' },
        { id: 'x', text: 'atrapanieblas en caletas' },
        { id: 'w', text: 'Riego por goteo para agricultores' },
        { id: 'v', text: 'goteo y riego para todos' }
      ]
    });
    expect(result.groups.map((g) => g.ideaIds)).toEqual([
      ['y', 'w', 'v'],
      ['z', 'x']
    ]);
  });
});

describe('createSuggestionMemo', () => {
  const a = { id: 'a', text: 'Riego por goteo' };
  const b = { id: 'b', text: 'riego por goteo en huertos' };

  it('reuses the answer while a question’s ideas are unchanged, and recomputes when one changes', () => {
    let runs = 0;
    const memo = createSuggestionMemo((input) => {
      runs++;
      return suggestGroups(input);
    });
    const first = memo('board|q1', { question: '', ideas: [a, b] });
    expect(first).toMatchObject({ reused: false });
    expect(memo('board|q1', { question: '', ideas: [a, b] })).toEqual({ result: first.result, reused: true });
    expect(memo('board|q1', { question: '', ideas: [a, { ...b, text: 'otra cosa' }] }).reused).toBe(false);
    expect(memo('board|q2', { question: '', ideas: [a, b] }).reused).toBe(false);
    expect(runs).toBe(3);
  });

  it('forgets the least recently asked question past its size', () => {
    const memo = createSuggestionMemo(suggestGroups, 2);
    const input = { question: '', ideas: [a] };
    memo('q1', input);
    memo('q2', input);
    memo('q1', input);
    memo('q3', input);
    expect(memo('q1', input).reused).toBe(true);
    expect(memo('q2', input).reused).toBe(false);
  });
});
