import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ARRIVAL_WINDOW_MS, ArrivalBatch, arrivalMessage, type ArrivalCount, type ArrivalWords } from '../../web/src/lib/state/arrivals.ts';
import { format } from '../../web/src/lib/i18n/index.svelte.ts';
import { en } from '../../web/src/lib/i18n/en.ts';
import { es } from '../../web/src/lib/i18n/es.ts';

/** The real dictionaries, with I18n's own placeholder filling. */
const words = (dict: Record<string, string>): ArrivalWords => ({
  t: (key, params) => format(dict[key]!, params),
  plural: (base, n, params) => format(dict[`${base}${n === 1 ? 'One' : 'Many'}`]!, { n, ...params })
});

describe('arrival batches (announcing others’ new ideas)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('tells a burst once, when its window closes, counted by question', () => {
    const told: ArrivalCount[][] = [];
    const batch = new ArrivalBatch((c) => told.push(c));
    batch.add(2);
    batch.add(2);
    vi.advanceTimersByTime(ARRIVAL_WINDOW_MS - 1);
    batch.add(2);
    expect(told).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(told).toEqual([[{ question: 2, n: 3 }]]);
    vi.advanceTimersByTime(ARRIVAL_WINDOW_MS * 3);
    expect(told).toHaveLength(1);
  });

  it('does not let a steady stream put the message off: one per window, however busy', () => {
    const told: ArrivalCount[][] = [];
    const batch = new ArrivalBatch((c) => told.push(c));
    // 60 people, one idea each every 10 s, for 30 s: 180 ideas.
    for (let ms = 0; ms < 30_000; ms += 10_000 / 60) {
      batch.add(1 + (Math.floor(ms) % 3));
      vi.advanceTimersByTime(10_000 / 60);
    }
    vi.advanceTimersByTime(ARRIVAL_WINDOW_MS);
    expect(told.length).toBeGreaterThanOrEqual(Math.floor(30_000 / ARRIVAL_WINDOW_MS));
    expect(told.length).toBeLessThanOrEqual(Math.ceil(30_000 / ARRIVAL_WINDOW_MS) + 1);
    expect(told.flat().reduce((sum, c) => sum + c.n, 0)).toBe(180);
  });

  it('puts the busiest question first and says nothing after destroy', () => {
    const told: ArrivalCount[][] = [];
    const batch = new ArrivalBatch((c) => told.push(c));
    batch.add(1);
    batch.add(3, 2);
    vi.advanceTimersByTime(ARRIVAL_WINDOW_MS);
    expect(told).toEqual([[{ question: 3, n: 2 }, { question: 1, n: 1 }]]);
    batch.add(1);
    batch.destroy();
    vi.advanceTimersByTime(ARRIVAL_WINDOW_MS);
    expect(told).toHaveLength(1);
  });

  it('says "3 ideas nuevas en Pregunta 2" and its English equivalent', () => {
    expect(arrivalMessage([{ question: 2, n: 3 }], words(es))).toBe('3 ideas nuevas en Pregunta 2.');
    expect(arrivalMessage([{ question: 2, n: 1 }], words(es))).toBe('1 idea nueva en Pregunta 2.');
    expect(arrivalMessage([{ question: 2, n: 3 }], words(en))).toBe('3 new ideas in Question 2.');
  });

  it('names at most a few questions and sums the rest, so one message stays short', () => {
    const spread = [{ question: 2, n: 4 }, { question: 1, n: 2 }];
    expect(arrivalMessage(spread, words(es))).toBe('6 ideas nuevas: 4 en Pregunta 2 y 2 en Pregunta 1.');
    const wide = [{ question: 2, n: 4 }, { question: 1, n: 2 }, { question: 3, n: 1 }, { question: 4, n: 1 }];
    expect(arrivalMessage(wide, words(es))).toBe('8 ideas nuevas: 4 en Pregunta 2, 2 en Pregunta 1 y 2 en otras preguntas.');
    expect(arrivalMessage(wide, words(en))).toBe('8 new ideas: 4 in Question 2, 2 in Question 1 and 2 in other questions.');
  });
});
