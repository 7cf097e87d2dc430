import en from './en.ts'
import type { WidgetStrings, WidgetStringsOverride } from './strings.ts'

export type { RootStrings, WidgetStrings, WidgetStringsOverride } from './strings.ts'
export { en }

/**
 * The built-in languages besides English, each its own module, loaded when first asked for.
 * (A bundler that splits code keeps them out of the main file; the one-file widget build
 * inlines them.)
 */
const loaders: Record<string, () => Promise<{ default: WidgetStrings }>> = {
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

/** The built-in texts of `lang` (English when it has none). */
export async function loadStrings(lang: string): Promise<WidgetStrings> {
  const load = loaders[builtInLanguage(lang)]
  return load ? (await load()).default : en
}

/** `base` with a site owner's overrides on top; keys the override leaves out stay. */
export function mergeStrings(
  base: WidgetStrings,
  override: WidgetStringsOverride = {},
): WidgetStrings {
  const merged = { ...base } as Record<string, object>
  for (const [group, texts] of Object.entries(override)) {
    if (group in base && texts && typeof texts === 'object') {
      merged[group] = { ...(base as unknown as Record<string, object>)[group], ...texts }
    }
  }
  return merged as unknown as WidgetStrings
}
