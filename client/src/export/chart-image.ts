/**
 * Chart pictures for export: PNG at 2× pixel ratio and SVG, each with a white background and a caption — the chart's
 * title and active filters above it, the data date below. Always drawn from the option at an explicit size, off screen
 * (a detached, sized, visible element for the canvas; ECharts' SSR mode for SVG), never from a hidden element.
 */
import { SVGRenderer } from 'echarts/renderers';
import { echarts, THEME } from '../charts/echarts.ts';
import type { ChartOption } from '../charts/echarts.ts';
import { FONT_STACK, TEXT_COLOR } from '../charts/theme.ts';

echarts.use([SVGRenderer]);

/** Height of the title band above the chart, in CSS pixels. */
export const CAPTION_TOP = 64;
/** Height of the data-date band below the chart, in CSS pixels. */
export const CAPTION_BOTTOM = 28;
/** Pixel ratio of PNG exports. */
export const PIXEL_RATIO = 2;

/** The caption drawn into a picture. */
export interface Caption {
  title: string;
  /** The active filters in words. */
  filters: string;
  /** The data date line, e.g. 数据截至 2025-11-22 · 版本 ab12…. */
  footer: string;
}

/** A chart size in CSS pixels. */
export interface Size {
  width: number;
  height: number;
}

/** The option as exported: no animation (the picture is taken at once), no tooltip. */
function still(option: ChartOption): ChartOption {
  return { aria: { enabled: true }, ...option, animation: false, tooltip: undefined };
}

/** Renders `option` on a canvas at `size` × `pixelRatio`, in a sized element placed off screen while it draws. */
export function renderChartCanvas(option: ChartOption, size: Size, pixelRatio = PIXEL_RATIO): HTMLCanvasElement {
  const host = document.createElement('div');
  Object.assign(host.style, {
    position: 'fixed', left: '-20000px', top: '0', width: `${size.width}px`, height: `${size.height}px`,
    visibility: 'visible', pointerEvents: 'none',
  });
  host.setAttribute('aria-hidden', 'true');
  document.body.append(host);
  const chart = echarts.init(host, THEME, { renderer: 'canvas', width: size.width, height: size.height, devicePixelRatio: pixelRatio });
  try {
    chart.setOption(still(option), { notMerge: true });
    return chart.renderToCanvas({ backgroundColor: '#ffffff', pixelRatio });
  } finally {
    chart.dispose();
    host.remove();
  }
}

/** Cuts `text` with an ellipsis so that it fits `max` pixels in the context's current font. */
function fit(ctx: CanvasRenderingContext2D, text: string, max: number): string {
  if (ctx.measureText(text).width <= max) return text;
  let out = text;
  while (out.length > 1 && ctx.measureText(`${out}…`).width > max) out = out.slice(0, -1);
  return `${out}…`;
}

/** The chart with its caption as PNG bytes: (width × (caption + height + footer)) × pixel ratio. */
export async function renderChartPng(option: ChartOption, size: Size, caption: Caption, pixelRatio = PIXEL_RATIO): Promise<Blob> {
  const chart = renderChartCanvas(option, size, pixelRatio);
  const canvas = document.createElement('canvas');
  canvas.width = size.width * pixelRatio;
  canvas.height = (CAPTION_TOP + size.height + CAPTION_BOTTOM) * pixelRatio;
  const ctx = canvas.getContext('2d')!;
  ctx.scale(pixelRatio, pixelRatio);
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, size.width, CAPTION_TOP + size.height + CAPTION_BOTTOM);
  ctx.textBaseline = 'alphabetic';
  ctx.fillStyle = TEXT_COLOR;
  ctx.font = `600 18px ${FONT_STACK}`;
  ctx.fillText(fit(ctx, caption.title, size.width - 32), 16, 28);
  ctx.fillStyle = '#5b6577';
  ctx.font = `13px ${FONT_STACK}`;
  ctx.fillText(fit(ctx, caption.filters, size.width - 32), 16, 50);
  ctx.drawImage(chart, 0, CAPTION_TOP, size.width, size.height);
  ctx.fillStyle = '#8a94a6';
  ctx.font = `12px ${FONT_STACK}`;
  ctx.fillText(fit(ctx, caption.footer, size.width - 32), 16, CAPTION_TOP + size.height + 18);
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'));
}

const escapeXml = (s: string) =>
  s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);

/** The chart with its caption as an SVG document (ECharts' SVG renderer in SSR mode: no element needed). */
export function renderChartSvg(option: ChartOption, size: Size, caption: Caption): string {
  const chart = echarts.init(null, THEME, { renderer: 'svg', ssr: true, width: size.width, height: size.height });
  let inner: string;
  try {
    chart.setOption(still(option), { notMerge: true });
    inner = chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
  const total = CAPTION_TOP + size.height + CAPTION_BOTTOM;
  const font = escapeXml(FONT_STACK);
  // The chart keeps its own <svg> root, placed below the title band as a nested viewport.
  const nested = inner.replace(/^\s*(<\?xml[^>]*>\s*)?<svg\b/, `<svg x="0" y="${CAPTION_TOP}"`);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size.width}" height="${total}" viewBox="0 0 ${size.width} ${total}">`,
    `<title>${escapeXml(caption.title)}</title>`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="16" y="28" font-family="${font}" font-size="18" font-weight="600" fill="${TEXT_COLOR}">${escapeXml(caption.title)}</text>`,
    `<text x="16" y="50" font-family="${font}" font-size="13" fill="#5b6577">${escapeXml(caption.filters)}</text>`,
    nested,
    `<text x="16" y="${CAPTION_TOP + size.height + 18}" font-family="${font}" font-size="12" fill="#8a94a6">${escapeXml(caption.footer)}</text>`,
    '</svg>',
  ].join('\n');
}
