import ar from './ar.ts'
import cs from './cs.ts'
import de from './de.ts'
import en from './en.ts'
import es from './es.ts'
import fr from './fr.ts'
import pt from './pt.ts'
import type { WidgetStrings, WidgetStringsOverride } from './strings.ts'

export type { RootStrings, WidgetStrings, WidgetStringsOverride } from './strings.ts'
export { en }

/**
 * The built-in languages besides English, each its own module. They are imported statically:
 * the widget is one file served alone (`/chat-widget.js`), with nowhere to load a split chunk
 * from. Together they add about 6 KB gzipped. `loadStrings` is async already, so once the server
 * serves chunks beside the bundle, `() => import('./cs.ts')` here splits them out.
 */
const loaders: Record<string, () => Promise<{ default: WidgetStrings }>> = {
  ar: async () => ({ default: ar }),
  cs: async () => ({ default: cs }),
  de: async () => ({ default: de }),
  es: async () => ({ default: es }),
  fr: async () => ({ default: fr }),
  pt: async () => ({ default: pt }),
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
