import { randomInt } from 'node:crypto';

/** Join codes are read aloud in a room: no 0/O/1/I (and no L, easily taken for 1). */
export const JOIN_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const JOIN_CODE_LENGTH = 6;

const ID_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

function randomString(alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

export const newJoinCode = () => randomString(JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH);

/** 12 base-36 characters: about 62 bits, enough for ids that also appear in URLs. */
export const newId = () => randomString(ID_ALPHABET, 12);

/** Normalises what a person typed as a code: upper case, no spaces or dashes. */
export const normalizeJoinCode = (input: string) => input.toUpperCase().replace(/[\s-]/g, '');

export const isJoinCode = (code: string) =>
  code.length === JOIN_CODE_LENGTH && [...code].every((c) => JOIN_CODE_ALPHABET.includes(c));
