/** Types of scripts/size.mjs (the widget's gzip budget), for the TypeScript benchmarks. */
export const PRE_INTERACTION_BUDGET: number
export const OPEN_PANEL_BUDGET: number
export const OPEN_PANEL_TARGET: number

export interface WidgetSize {
  /** gzip -9 bytes of each emitted file, by path under dist/. */
  files: Record<string, number>
  /** The entry and its static imports: what a page loads before the visitor interacts. */
  preInteraction: number
  /** That plus the panel chunk and its static imports. */
  openPanel: number
  /** That plus the parts the panel loads when first shown (offline form, end of chat, lightbox). */
  withOnDemandParts: number
  /** Every chunk (all languages included). */
  total: number
  /** chat-widget.classic.js, the loader for classic pages. */
  classic: number
}

export function measureWidget(dist: string): WidgetSize
