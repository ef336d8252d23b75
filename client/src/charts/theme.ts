/** Visual constants shared by charts and CSS-free chart code: fonts, palette, warning-band colours. */

/**
 * Local CJK font stack (nothing is fetched). Single quotes: ECharts' SVG renderer writes the stack into a
 * double-quoted style attribute unescaped, and double quotes there make the exported SVG invalid XML.
 */
export const FONT_STACK =
  "'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif";

/** Restrained series palette (navy first). */
export const PALETTE = ['#1f4e79', '#4f81bd', '#7aa6c2', '#c9a227', '#6b8e5a', '#8c6d8f', '#b5651d', '#5f7c8a'];

/** Light-to-dark scale of counts (the issues heat table and its exported heatmap). */
export const HEAT_COLORS = ['#eef3f8', '#7aa6c2', '#1f4e79'] as const;

/** Warning-band colours. */
export const BAND_COLOR = { red: '#c0392b', amber: '#d4a017', green: '#2e8b57', none: '#b0b7c3' } as const;

/** Axis lines and value labels. */
export const AXIS_COLOR = '#8a94a6';
/** Body text. */
export const TEXT_COLOR = '#2b3445';
