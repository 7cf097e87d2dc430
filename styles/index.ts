/** Shared sheets: every component's `static styles` starts with `[tokens, base, …]`. */
export { default as base } from './base.styles.ts'
export { default as tokens } from './tokens.styles.ts'
