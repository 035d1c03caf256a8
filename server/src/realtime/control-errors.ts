import type { ErrorInfo } from './events.ts';

/** Control-plane refusals, with the words a person reads. */
const CONTROL_ERRORS = {
  INVALID_PAYLOAD: ['Datos no válidos.', 'Invalid payload.'],
  BOARD_NOT_FOUND: ['No encontramos ese tablero.', 'Board not found.'],
  FORBIDDEN: ['No tienes acceso a este tablero.', 'You do not have access to this board.'],
  NOT_JOINED: ['Primero únete al tablero.', 'Join the board first.'],
  VOTE_PARTICIPANTS_ONLY: ['Solo las personas participantes votan.', 'Only participants vote.'],
  TARGET_NOT_FOUND: ['Esa idea o grupo ya no existe.', 'That idea or group no longer exists.'],
  NO_DOTS_LEFT: ['Ya usaste todos tus votos. Quita uno para votar por otra idea.', 'You have used all your votes. Remove one to vote again.'],
  NO_DOT_TO_WITHDRAW: ['No tienes votos en esa idea o grupo.', 'You have no votes on that idea or group.'],
  FACILITATOR_ONLY: ['Solo la facilitación puede hacer esto.', 'Only the facilitator can do this.'],
  NO_SESSION: ['No hay una sesión en curso en este tablero.', 'No session is running on this board.'],
  LAST_PHASE: ['La sesión ya está en la última fase.', 'The session is already in its last phase.'],
  TIMER_NOT_RUNNING: ['El temporizador no está corriendo.', 'The timer is not running.'],
  TIMER_NOT_PAUSED: ['El temporizador no está en pausa.', 'The timer is not paused.'],
  QUESTION_NOT_FOUND: ['Esa pregunta no es de este desafío.', 'That question does not belong to this challenge.'],
  IDEA_NOT_FOUND: ['Esa idea ya no existe.', 'That idea no longer exists.'],
  PARTICIPANT_NOT_FOUND: ['Esa persona no participa en este taller.', 'That person is not a participant of this workshop.'],
  JOIN_REQUEST_NOT_FOUND: ['Esa solicitud ya no está en espera.', 'That request is no longer waiting.'],
  VOTING_CLOSED: ['La votación no está abierta en esta fase.', 'Voting is not open in this phase.'],
  BOARD_LOCKED: ['La facilitación bloqueó el tablero.', 'The facilitator locked the board.'],
  NOT_VOTING: ['Las rondas de votación se abren en la fase de votación.', 'Voting rounds open in the voting phase.'],
  NOT_BLIND: ['Esta ronda no es a ciegas: sus votos ya están a la vista.', 'This round is not blind: its votes are already shown.'],
  BLIND_NEEDS_NEW_ROUND: [
    'Una votación a ciegas empieza con votos nuevos: no puede mantener los del tablero abierto.',
    "A blind vote starts afresh: it cannot keep the open board's votes."
  ],
  UNDO_EXPIRED: ['Ya no se puede deshacer: pasó el plazo o la sesión cambió.', 'This can no longer be undone: time is up or the session changed.'],
  RESULTS_NOT_PUBLISHED: ['La facilitación aún no publica los resultados del taller.', 'The facilitator has not published the workshop results yet.'],
  RATE_LIMITED: ['Demasiadas acciones seguidas. Espera un momento.', 'Too many actions in a row. Wait a moment.'],
  STORAGE_FAILED: ['No pudimos guardar el cambio. Inténtalo de nuevo.', 'We could not save the change. Try again.']
} as const satisfies Record<string, readonly [string, string]>;

export type ControlErrorCode = keyof typeof CONTROL_ERRORS;
export interface ControlError extends ErrorInfo {
  code: ControlErrorCode;
}

export const controlError = (code: ControlErrorCode): ControlError => {
  const [message, messageEn] = CONTROL_ERRORS[code];
  return { code, message, messageEn };
};
