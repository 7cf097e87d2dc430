import '../../components/index.ts'
import '../../components/chat-widget/chat-widget.ts'
import { expect, fixture, html } from '@open-wc/testing'
import type { CSSResult } from 'lit'
import { tokens } from '../../styles/index.ts'
import { part } from './helpers.ts'

const TOKENS = 'styles/tokens.styles.ts'
/** The root element's own sheet: the panel's size and stacking, and values set from script. */
const ROOT_SHEET = 'components/chat-widget/chat-widget.styles.ts'

/**
 * Every `*.styles.ts` module of components/ and styles/, by path: web-test-runner.config.mjs
 * lists them from the disk, so a sheet added later is checked too.
 */
const styleModules: Promise<Map<string, CSSResult>> = fetch('/__style-modules.json')
  .then((r) => r.json())
  .then(async (paths: string[]) => {
    const loaded = paths.map(async (path): Promise<[string, CSSResult]> => {
      const module: { default: CSSResult } = await import(`/${path}`)
      return [path, module.default]
    })
    return new Map(await Promise.all(loaded))
  })

/** The sheets of every style module but those at `except`. */
async function sheetsBut(...except: string[]): Promise<CSSResult[]> {
  const modules = await styleModules
  return [...modules].filter(([path]) => !except.includes(path)).map(([, sheet]) => sheet)
}

/** Names of the private `--_x` variables a sheet defines, and those it reads. */
function variables(sheets: CSSResult[]) {
  const text = sheets.map((sheet) => sheet.cssText).join('\n')
  return {
    defined: new Set([...text.matchAll(/(--_[\w-]+)\s*:/g)].map((match) => match[1]!)),
    used: new Set([...text.matchAll(/var\(\s*(--_[\w-]+)/g)].map((match) => match[1]!)),
  }
}

describe('design tokens', () => {
  it('checks every style module, each a stylesheet as its default export', async () => {
    const modules = await styleModules
    const paths = [...modules.keys()]
    expect(paths).to.include.members([TOKENS, ROOT_SHEET, 'styles/base.styles.ts'])
    expect(paths).to.include('components/chat-widget/panel/panel.styles.ts')
    expect(paths.length, 'the server listed the modules').to.be.at.least(15)
    for (const [path, sheet] of modules) expect(sheet?.cssText, path).to.be.a('string').not.empty
  })

  it('defines every private variable the components read, and reads every token', async () => {
    const fromTokens = variables([tokens])
    const fromComponents = variables(await sheetsBut(TOKENS, ROOT_SHEET))
    expect(fromComponents.used.size, 'the parser found the variables').to.be.above(10)
    const defined = new Set([...fromTokens.defined, ...fromComponents.defined])
    const undefinedUsed = [...fromComponents.used].filter((name) => !defined.has(name))
    expect(undefinedUsed, 'used but never defined').to.deep.equal([])

    // The panel's size and stacking belong to the root <chat-widget>, which composes these parts.
    const rootOnly = ['--_z-index', '--_width', '--_height']
    const used = new Set([...fromComponents.used, ...fromTokens.used, ...rootOnly])
    const unused = [...fromTokens.defined].filter((name) => !used.has(name))
    expect(unused, 'defined but never used').to.deep.equal([])
  })

  it('maps each public --chat-widget-* token to a private one', () => {
    const text = tokens.cssText
    const publicNames = [...text.matchAll(/var\(\s*(--chat-widget-[\w-]+)/g)].map((m) => m[1])
    const required = ['accent', 'accent-contrast', 'font-family', 'radius', 'z-index', 'width']
    required.push('height', 'surface', 'text', 'text-muted')
    for (const name of required) expect(publicNames).to.include(`--chat-widget-${name}`)
    for (const name of publicNames) {
      expect(text).to.match(new RegExp(`--_${name!.slice('--chat-widget-'.length)}:`))
    }
  })

  it('documents every public variable the styles read, and reads every documented one', async () => {
    const manifest = await fetch('/custom-elements.json').then((r) => r.json())
    const widget = manifest.modules
      .flatMap((m: { declarations?: unknown[] }) => m.declarations ?? [])
      .find((d: { tagName?: string }) => d.tagName === 'chat-widget')
    const documented = new Set<string>(widget.cssProperties.map((p: { name: string }) => p.name))
    const text = [...(await styleModules).values()].map((sheet) => sheet.cssText).join('\n')
    const used = new Set([...text.matchAll(/var\(\s*(--chat-widget-[\w-]+)/g)].map((m) => m[1]!))
    expect(
      [...used].filter((name) => !documented.has(name)),
      'used, not documented',
    ).to.deep.equal([])
    expect(
      [...documented].filter((name) => !used.has(name)),
      'documented, not used',
    ).to.deep.equal([])
  })

  it('takes every colour from a token: no colour literals in the component sheets', async () => {
    for (const [path, sheet] of await styleModules) {
      if (path === TOKENS) continue
      const literals = sheet.cssText.match(
        /#[0-9a-f]{3,8}\b|\b(rgba?|hsla?|oklch)\(|\b(white|black)\b(?![-\w])/gi,
      )
      expect(literals, path).to.equal(null)
    }
  })

  it('has a dark palette for every colour token, used by theme="dark" and by "auto" in the dark', () => {
    const text = tokens.cssText
    const themed = new Set([...text.matchAll(/var\(\s*(--_theme-[\w-]+)/g)].map((m) => m[1]!))
    expect(themed.size, 'colour tokens with a theme default').to.be.at.least(11)
    const dark = text.slice(text.indexOf(":host([theme='dark'])"))
    for (const name of themed) expect(dark, name).to.contain(`${name}:`)
    expect(text).to.match(/prefers-color-scheme: dark/)
  })

  it('re-brands the dark theme with one accent, text on it still readable', async () => {
    const wrapper = await fixture(html`<div style="--chat-widget-accent: rgb(0, 100, 0)">
      <chat-widget theme="dark"></chat-widget>
    </div>`)
    const widget = wrapper.querySelector('chat-widget')!
    await (widget as unknown as { updateComplete: Promise<unknown> }).updateComplete
    const button = widget.shadowRoot!.querySelector('chat-widget-launcher')!
    const style = getComputedStyle(part(button, 'launcher'))
    expect(style.backgroundColor).to.equal('rgb(0, 100, 0)')
    // Dark green gets white text (the auto contrast), not the dark theme's near-black.
    expect(style.color).to.match(/rgb\(255, 255, 255\)|oklch\(1 0 0\)|color\(srgb 1 1 1\)/)
  })

  it('lets the site owner theme the widget from outside', async () => {
    const wrapper = await fixture(html`<div
      style="--chat-widget-accent: rgb(1, 2, 3); --chat-widget-accent-contrast: rgb(4, 5, 6)"
    >
      <chat-widget-launcher></chat-widget-launcher>
    </div>`)
    const button = part(wrapper.querySelector('chat-widget-launcher')!, 'launcher')
    expect(getComputedStyle(button).backgroundColor).to.equal('rgb(1, 2, 3)')
    expect(getComputedStyle(button).color).to.equal('rgb(4, 5, 6)')
  })

  it('keeps the page’s inherited text styles out', async () => {
    const wrapper = await fixture(html`<div
      style="letter-spacing: 7px; line-height: 50px; text-transform: uppercase; color: rgb(255, 0, 0); font-family: serif; text-align: right"
    >
      <chat-widget-header account-name="Shop"></chat-widget-header>
    </div>`)
    const title = part(wrapper.querySelector('chat-widget-header')!, 'title')
    const style = getComputedStyle(title)
    expect(style.letterSpacing).to.equal('normal')
    expect(style.textTransform).to.equal('none')
    expect(style.textAlign).not.to.equal('right')
    expect(style.lineHeight).not.to.equal('50px')
    expect(style.fontFamily).not.to.equal('serif')
  })

  it('styles nothing outside the components', async () => {
    const wrapper = await fixture(html`<div>
      <button>page button</button>
      <chat-widget-composer></chat-widget-composer>
    </div>`)
    const pageButton = wrapper.querySelector('button')!
    expect(getComputedStyle(pageButton).borderRadius).to.equal('0px')
    expect(getComputedStyle(pageButton).cursor).not.to.equal('pointer')
  })
})
