import { describe, expect, it } from 'vitest';
import { withBoardPreview } from '../../server/src/web/board-preview.ts';

const PAGE = '<!doctype html><html><head></head><body><div style="display: contents"><script>start()</script></div></body></html>';

describe('withBoardPreview', () => {
  it("writes the title and each question as headings after the app's root, text escaped", () => {
    const html = withBoardPreview(PAGE, {
      title: 'Agua & <b>riego</b>',
      questions: [
        { id: 'q1', text: '¿Cómo "cuidamos" el agua?' },
        { id: 'q2"><script>x()</script>', text: "<img src=x onerror='y()'>" }
      ]
    });
    expect(html).toContain('<h1 lang="es">Agua &amp; &lt;b&gt;riego&lt;/b&gt;</h1>');
    expect(html).toContain('<h2 lang="es">¿Cómo &quot;cuidamos&quot; el agua?</h2>');
    expect(html).toContain('<h2 lang="es">&lt;img src=x onerror=&#39;y()&#39;&gt;</h2>');
    expect(html.match(/<script>/g)).toHaveLength(1);
    expect(html.indexOf('id="board-preview"')).toBeGreaterThan(html.indexOf('<script>start()</script></div>'));
  });
});
