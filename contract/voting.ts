/** How long "Terminar sesión" can be undone: the web app offers "Deshacer" this long. */
export const END_UNDO_MS = 8_000;
/** The server keeps the ended session this much longer, for a click that is on its way. */
export const END_UNDO_GRACE_MS = 4_000;
