import { describe, expect, it } from 'vitest';
import { initials } from '../../web/src/lib/state/presence.ts';

/** The avatars' initials (web/src/lib/state/presence.ts), split by grapheme. */
describe('initials', () => {
  it('takes the first letters of the first and last names', () => {
    expect(initials('Ana Pérez')).toBe('AP');
    expect(initials('  Ana   María  Pérez ')).toBe('AP');
    expect(initials('Ana')).toBe('AN');
    expect(initials('')).toBe('?');
  });

  it('never cuts an emoji, a flag or a letter with a combining accent in half', () => {
    expect(initials('Pía 🌸')).toBe('P🌸');
    expect(initials('🇨🇱 Rojas')).toBe('🇨🇱R');
    expect(initials('👩🏽‍🌾')).toBe('👩🏽‍🌾');
    expect(initials('E\u0301lida Soto')).toBe('E\u0301S');
    expect(initials('Ñandú')).toBe('ÑA');
    for (const name of ['Pía 🌸', '🇨🇱 Rojas', '👩🏽‍🌾', 'Beto 🌱']) expect(initials(name)).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
  });
});
