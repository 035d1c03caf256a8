import type { ErrorInfo } from '../errors.ts';

/** Why the server refused a content-plane update, in words for the person who made it. */
export const REFUSALS = {
  MALFORMED: ['El cambio llegó dañado y no se guardó.', 'The change arrived malformed and was not saved.'],
  MISSING_DEPENDENCY: [
    'El cambio depende de contenido que el servidor no tiene. Recarga el tablero.',
    'The change depends on content the server does not have. Reload the board.'
  ],
  INVALID_SHAPE: ['El cambio no respeta la forma del tablero.', 'The change does not follow the board document contract.'],
  VOTES_SERVER_ONLY: [
    'Los votos se emiten con los botones de votar, no editando el tablero.',
    'Votes are cast with the vote buttons, not by editing the board.'
  ],
  PARTICIPANTS_SERVER_ONLY: [
    'La lista de participantes la escribe solo el servidor.',
    'Only the server writes the participant list.'
  ],
  AUTHOR_MISMATCH: ['Una idea solo puede firmarse con tu propio nombre.', 'An idea can only be signed with your own name.'],
  NOT_YOUR_IDEA: [
    'Solo la persona autora (o la facilitación) puede editar o borrar esta idea.',
    'Only its author (or the facilitator) can edit or delete this idea.'
  ],
  IDEA_TOO_LONG: ['Una idea puede tener hasta 500 caracteres.', 'An idea can be up to 500 characters long.'],
  TITLE_TOO_LONG: ['El nombre de un grupo puede tener hasta 120 caracteres.', 'A group name can be up to 120 characters long.'],
  TEXT_TOO_LONG: ['El texto es demasiado largo.', 'The text is too long.'],
  TOO_MANY_IDEAS: [
    'Llegaste al máximo de ideas por persona en este tablero. Puedes editar o borrar las tuyas.',
    'You reached the most ideas one person can post on this board. You can edit or delete yours.'
  ],
  TOO_MANY_GROUPS: [
    'Llegaste al máximo de grupos por persona en este tablero. Puedes renombrar o borrar grupos.',
    'You reached the most groups one person can create on this board. You can rename or delete groups.'
  ],
  BOARD_FULL: [
    'El tablero llegó a su tamaño máximo. Pide a la facilitación que lo ordene.',
    'The board reached its maximum size. Ask the facilitator to tidy it up.'
  ],
  CLIENT_ID_TAKEN: [
    'Este cambio usa la identidad de otra persona. Recarga el tablero.',
    'This change uses another person’s identity. Reload the board.'
  ],
  BOARD_LOCKED: ['La facilitación bloqueó el tablero.', 'The facilitator locked the board.'],
  PHASE_FORBIDS: ['La fase actual de la sesión no permite este cambio.', 'The current session phase does not allow this change.'],
  HIDDEN_SERVER_ONLY: [
    'Las ideas ocultas solo cambian con «Ocultar» y «Mostrar».',
    'Hidden ideas change only through “Hide” and “Show”.'
  ],
  PRIVATE_IDEATION: [
    'En esta fase las ideas se escriben en privado; la facilitación las mostrará a todos.',
    'In this phase ideas are written privately; the facilitator will reveal them to everyone.'
  ]
} as const satisfies Record<string, readonly [string, string]>;

export type RefusalCode = keyof typeof REFUSALS;

export interface Refusal extends ErrorInfo {
  code: RefusalCode;
  /** For the log: what exactly was refused. Never sent to clients. */
  detail?: string;
}

export const refusal = (code: RefusalCode, detail?: string): Refusal => {
  const [message, messageEn] = REFUSALS[code];
  return { code, message, messageEn, detail };
};
