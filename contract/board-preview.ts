/**
 * The id of the board's title and questions the server writes into a board page's HTML
 * (server/src/web/board-preview.ts); the page removes it once it draws the board itself.
 */
export const BOARD_PREVIEW_ID = 'board-preview';
