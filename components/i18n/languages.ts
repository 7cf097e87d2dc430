/**
 * The built-in languages, without their texts: each non-English language is its own module,
 * loaded with `import()` when a widget uses it (a chunk beside the entry in the build), so a page
 * pays only for its own language. English is the fallback (see `en.ts`).
 */
import type { WidgetStrings } from './strings.ts'

type Loader = () => Promise<{ default: WidgetStrings }>

const loaders: Record<string, Loader> = {
  ar: () => import('./ar.ts'),
  cs: () => import('./cs.ts'),
  de: () => import('./de.ts'),
  es: () => import('./es.ts'),
  fr: () => import('./fr.ts'),
  pt: () => import('./pt.ts'),
}

/** The languages with built-in texts. */
export const languages: readonly string[] = ['en', ...Object.keys(loaders)]

/** The built-in language for a BCP 47 tag (`pt-BR` → `pt`), or `en`. */
export function builtInLanguage(lang: string): string {
  const primary = lang.trim().toLowerCase().split(/[-_]/)[0] ?? ''
  return languages.includes(primary) ? primary : 'en'
}

/** Languages written right to left (by primary subtag). */
const rtl = new Set(['ar', 'he', 'fa', 'ur', 'ps', 'yi', 'dv', 'ku', 'sd', 'ug'])

export function isRightToLeft(lang: string): boolean {
  return rtl.has(lang.trim().toLowerCase().split(/[-_]/)[0] ?? '')
}

/** The built-in texts of `lang`, or null for English and languages without texts of their own. */
export async function loadLanguage(lang: string): Promise<WidgetStrings | null> {
  const load = loaders[builtInLanguage(lang)]
  return load ? (await load()).default : null
}
