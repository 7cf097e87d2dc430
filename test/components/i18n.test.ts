/**
 * The widget's languages: every built-in language has every English key (of the same kind),
 * the widget renders in the language of its `lang` (else the page's), right to left for Arabic,
 * with dates from `Intl` in that locale, and a site owner's `strings` on top.
 */
import { expect } from '@open-wc/testing'
import type { ChatWidget } from '../../components/chat-widget/chat-widget.ts'
import {
  builtInLanguage,
  en,
  isRightToLeft,
  languages,
  loadStrings,
} from '../../components/i18n/index.ts'
import type { WidgetStrings } from '../../components/i18n/strings.ts'
import { formatFullTime } from '../../components/shared/format.ts'
import { until } from './helpers.ts'
import {
  cleanUp,
  connectAgent,
  connectedWidget,
  deepPart,
  deepQuery,
  renderedPart,
  settled,
} from './widget-server.ts'

/** "group.key: kind" for every text of a language. */
function shape(strings: WidgetStrings): string[] {
  return Object.entries(strings).flatMap(([group, texts]) =>
    Object.entries(texts as Record<string, unknown>).map(
      ([key, text]) => `${group}.${key}: ${typeof text}`,
    ),
  )
}

/** Every text of a language as the visitor reads it (functions called with sample values). */
function samples(strings: WidgetStrings): string[] {
  return Object.values(strings).flatMap((texts) =>
    Object.values(texts as Record<string, unknown>).map((text) =>
      typeof text === 'function' ? String(text('Alex', 'stars')) : String(text),
    ),
  )
}

async function openWidget(attributes: Record<string, string>): Promise<ChatWidget> {
  const el = await connectedWidget(attributes)
  el.open()
  await el.updateComplete
  await settled(el)
  return el
}

describe('widget languages', () => {
  afterEach(cleanUp)

  it('ships en, cs, de, es, fr, pt and ar', () => {
    expect([...languages].sort()).to.deep.equal(['ar', 'cs', 'de', 'en', 'es', 'fr', 'pt'])
    expect(builtInLanguage('pt-BR')).to.equal('pt')
    expect(builtInLanguage('CS_cz')).to.equal('cs')
    expect(builtInLanguage('ja')).to.equal('en')
    expect(isRightToLeft('ar-EG')).to.equal(true)
    expect(isRightToLeft('he')).to.equal(true)
    expect(isRightToLeft('de')).to.equal(false)
  })

  for (const lang of ['cs', 'de', 'es', 'fr', 'pt', 'ar']) {
    it(`${lang}: has every English key, each translated and non-empty`, async () => {
      const strings = await loadStrings(lang)
      expect(shape(strings)).to.deep.equal(shape(en))
      for (const text of samples(strings)) {
        expect(text.trim(), 'an empty text').not.to.equal('')
        expect(text).not.to.contain('undefined')
      }
      // Not English left in by mistake (a few words are the same in both, e.g. "Online").
      const same = samples(strings).filter((text, i) => text === samples(en)[i])
      expect(same.length, `untranslated: ${same.join(' | ')}`).to.be.below(8)
    })

    it(`${lang}: the widget renders in it`, async () => {
      const strings = await loadStrings(lang)
      const el = await openWidget({ lang })
      await until(() => renderedPart(el, 'chat-widget-offline-form'), 'the form', 4000)
      const form = deepQuery(el, 'chat-widget-offline-form')!
      await until(() => form.shadowRoot!.textContent!.includes(strings.offlineForm.intro), 'intro')
      const panel = deepPart(el, 'panel')!
      expect(panel.getAttribute('aria-label')).to.equal(strings.widget.title)
      expect(panel.getAttribute('lang')).to.equal(lang)
      expect(panel.getAttribute('dir')).to.equal(lang === 'ar' ? 'rtl' : 'ltr')
      expect(deepPart(el, 'launcher')!.getAttribute('aria-label')).to.equal(strings.launcher.close)
      expect(deepPart(el, 'status-badge')!.textContent).to.contain(strings.header.offline)
    })
  }

  it('takes the page’s <html lang> when it has no lang of its own', async () => {
    const before = document.documentElement.lang
    document.documentElement.lang = 'de'
    try {
      const el = await openWidget({})
      await until(
        () => deepPart(el, 'panel')?.getAttribute('aria-label') === 'Chatten Sie mit uns',
        'German',
      )
      expect(el.locale).to.equal('de')
    } finally {
      document.documentElement.lang = before
    }
  })

  it('follows the page when a single-page app switches <html lang>', async () => {
    const before = document.documentElement.lang
    document.documentElement.lang = 'en'
    try {
      const el = await openWidget({})
      await until(() => deepPart(el, 'panel')?.getAttribute('aria-label') === 'Chat with us', 'en')
      document.documentElement.lang = 'fr'
      await until(() => deepPart(el, 'panel')?.getAttribute('aria-label') === 'Discutons', 'fr')
      expect(deepPart(el, 'panel')!.getAttribute('lang')).to.equal('fr')
    } finally {
      document.documentElement.lang = before
    }
  })

  it('ignores a `strings` attribute that is not JSON (and says so once in the console)', async () => {
    const errors: unknown[] = []
    const original = console.error
    console.error = (...args: unknown[]) => errors.push(args[0])
    try {
      const el = await openWidget({ lang: 'en', strings: '{composer: oops' })
      expect(el.strings).to.deep.equal({})
      expect(deepPart(el, 'panel')!.getAttribute('aria-label')).to.equal('Chat with us')
      expect(errors.join(' ')).to.contain('`strings` attribute')
    } finally {
      console.error = original
    }
  })

  it('lays Arabic out right to left: the visitor’s bubble on the left, with Arabic dates', async () => {
    await connectAgent()
    const rtl = await openWidget({ lang: 'ar' })
    await rtl.send('مرحبا')
    await until(() => deepPart(rtl, 'message-contact'), 'the bubble', 4000)
    const list = deepPart(rtl, 'message-list')!.getBoundingClientRect()
    const bubble = deepPart(rtl, 'message-contact')!.getBoundingClientRect()
    expect(bubble.left - list.left, 'near the left edge').to.be.below(list.right - bubble.right)
    const time = deepPart(rtl, 'time') ?? deepQuery(rtl, 'time')
    const iso = time!.getAttribute('datetime')!
    expect(time!.getAttribute('title')).to.equal(formatFullTime(iso, 'ar'))
  })

  it('lays English out left to right: the visitor’s bubble on the right', async () => {
    await connectAgent()
    const ltr = await openWidget({ lang: 'en' })
    await ltr.send('Hello')
    await until(() => deepPart(ltr, 'message-contact'), 'the bubble', 4000)
    const list = deepPart(ltr, 'message-list')!.getBoundingClientRect()
    const bubble = deepPart(ltr, 'message-contact')!.getBoundingClientRect()
    expect(list.right - bubble.right, 'near the right edge').to.be.below(bubble.left - list.left)
  })

  it('takes the site owner’s strings on top of the language; the rest stays', async () => {
    await connectAgent()
    const el = await openWidget({
      lang: 'cs',
      strings: JSON.stringify({
        composer: { placeholder: 'Zeptejte se nás' },
        widget: { title: 'Podpora' },
      }),
    })
    await until(
      () => deepPart(el, 'input')?.getAttribute('placeholder') === 'Zeptejte se nás',
      'override',
    )
    expect(deepPart(el, 'panel')!.getAttribute('aria-label')).to.equal('Podpora')
    const cs = await loadStrings('cs')
    expect(deepPart(el, 'send-button')!.getAttribute('aria-label')).to.equal(cs.composer.send)
    // As a property too, and a key of no language falls back to English.
    el.strings = { launcher: { close: 'Zavřít' } }
    el.lang = 'ja'
    await until(
      () => deepPart(el, 'send-button')!.getAttribute('aria-label') === en.composer.send,
      'English',
    )
    expect(deepPart(el, 'launcher')!.getAttribute('aria-label')).to.equal('Zavřít')
  })
})
