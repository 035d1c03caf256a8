import { BOARD_PREVIEW_ID } from '../../../contract/board-preview.ts';
import type { Challenge } from '../schemas/challenges.ts';

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

// Close to the board's own layout (lanes side by side, stacked under 720 px), so nothing jumps
// much when the app takes over. Inline styles are allowed by the CSP (style-src 'unsafe-inline').
const STYLE = `#${BOARD_PREVIEW_ID}{font-family:system-ui,sans-serif;padding:1rem clamp(.75rem,2vw,1.5rem)}
#${BOARD_PREVIEW_ID} h1{font-size:1.35rem;margin:0 0 1rem}
#${BOARD_PREVIEW_ID} .lanes{display:grid;grid-auto-flow:column;grid-auto-columns:minmax(min(22rem,86vw),1fr);gap:1rem;overflow-x:auto}
#${BOARD_PREVIEW_ID} section{border:1px solid #ddd;border-radius:.5rem;padding:.75rem}
#${BOARD_PREVIEW_ID} h2{font-size:1rem;margin:0}
@media (max-width:720px){#${BOARD_PREVIEW_ID} .lanes{grid-auto-flow:row;grid-auto-columns:auto}}`;

/**
 * The app's page with the board's title and questions already in it, as plain HTML: on a weak
 * connection they are on screen as soon as the page arrives, seconds before the app's scripts
 * have loaded and asked the API for them (issue 11).
 */
export function withBoardPreview(
  indexHtml: string,
  challenge: Pick<Challenge, 'title' | 'questions'>,
  preloads: { scripts: string[]; styles: string[] } | null = null
): string {
  const lanes = challenge.questions.map((q) => `<section id="lane-preview-${escapeHtml(q.id)}"><h2 lang="es">${escapeHtml(q.text)}</h2></section>`).join('');
  const preview = `<style>${STYLE}</style><div id="${BOARD_PREVIEW_ID}" aria-busy="true"><h1 lang="es">${escapeHtml(challenge.title)}</h1><div class="lanes">${lanes}</div></div>`;
  // The board route's own files, fetched at once instead of after the entry's (no render blocking).
  const links = [
    ...(preloads?.scripts ?? []).map((href) => `<link rel="modulepreload" href="${escapeHtml(href)}">`),
    ...(preloads?.styles ?? []).map((href) => `<link rel="preload" as="style" href="${escapeHtml(href)}">`)
  ].join('');
  // After the app's own root (its <div style="display: contents">), which the scripts render into.
  return indexHtml.replace('</head>', `${links}</head>`).replace('</body>', `${preview}\n</body>`);
}
