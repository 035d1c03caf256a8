import { Resvg } from '@resvg/resvg-js';

/** Pixels; the DOCX scales the image to fit the text column. */
export const CHART_WIDTH = 720;
export const chartHeight = (bars: number) => 44 + bars * 34 + 12;

const escapeXml = (s: string) => s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);

/**
 * A small horizontal bar chart (labels, bars, counts) as a PNG, for the DOCX. Drawn as SVG and
 * rasterised with resvg, so the server needs no browser or canvas.
 */
export function barChartPng(title: string, bars: { label: string; value: number }[], width = CHART_WIDTH): Buffer {
  const rowHeight = 34;
  const top = 44;
  const labelWidth = 340;
  const height = chartHeight(bars.length);
  const max = Math.max(1, ...bars.map((b) => b.value));
  const barSpace = width - labelWidth - 60;
  const rows = bars
    .map((b, i) => {
      const y = top + i * rowHeight;
      const w = Math.max(2, Math.round((b.value / max) * barSpace));
      return `<text x="${labelWidth - 10}" y="${y + 21}" text-anchor="end" font-size="15" fill="#2b2b2b">${escapeXml(b.label)}</text>
        <rect x="${labelWidth}" y="${y + 6}" width="${w}" height="22" rx="3" fill="#b5542c"/>
        <text x="${labelWidth + w + 8}" y="${y + 22}" font-size="15" fill="#2b2b2b">${b.value}</text>`;
    })
    .join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, Liberation Sans, Arial, sans-serif">
    <rect width="100%" height="100%" fill="#ffffff"/>
    <text x="16" y="28" font-size="17" font-weight="bold" fill="#2b2b2b">${escapeXml(title)}</text>${rows}</svg>`;
  return new Resvg(svg, { font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' }, background: '#ffffff' }).render().asPng();
}
