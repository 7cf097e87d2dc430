import en from './en.ts'
import { loadLanguage } from './languages.ts'
import type { WidgetStrings, WidgetStringsOverride } from './strings.ts'

export { builtInLanguage, isRightToLeft, languages, loadLanguage } from './languages.ts'
export type { RootStrings, WidgetStrings, WidgetStringsOverride } from './strings.ts'
export { en }

/** The built-in texts of `lang` (English when it has none). */
export async function loadStrings(lang: string): Promise<WidgetStrings> {
  return (await loadLanguage(lang)) ?? en
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
