/**
 * The documented API is the real one: README's tables of `<chat-widget>` attributes, parts and
 * CSS variables list exactly what custom-elements.json (generated from the JSDoc headers by
 * `npm run manifest`) says, and the manifest is up to date with the element's properties.
 */
import { expect } from '@open-wc/testing'
import { ChatWidget } from '../../components/chat-widget/chat-widget.component.ts'
import '../../components/chat-widget/chat-widget.ts'

interface Declaration {
  tagName?: string
  attributes?: { name: string; fieldName?: string }[]
  cssParts?: { name: string }[]
  cssProperties?: { name: string }[]
  events?: { name?: string }[]
  members?: { kind: string; name: string; privacy?: string; static?: boolean }[]
}

const manifest: Promise<{ modules: { declarations?: Declaration[] }[] }> = fetch(
  '/custom-elements.json',
).then((r) => r.json())
const readme: Promise<string> = fetch('/README.md').then((r) => r.text())

async function widgetDeclaration(): Promise<Declaration> {
  const { modules } = await manifest
  const found = modules
    .flatMap((m) => m.declarations ?? [])
    .find((d) => d.tagName === 'chat-widget')
  if (!found) throw new Error('chat-widget is not in custom-elements.json (npm run manifest)')
  return found
}

/** The rows of the tables under README's `### heading`: each cell's backticked names. */
async function tableRows(heading: string): Promise<string[][][]> {
  const text = await readme
  const start = text.indexOf(`### ${heading}\n`)
  expect(start, `README has "### ${heading}"`).to.be.above(-1)
  const section = text.slice(start + 4, text.indexOf('\n#', start + 4))
  const rows = section.split('\n').filter((line) => line.startsWith('| `'))
  return rows.map((row) =>
    row
      .split('|')
      .slice(1, -1)
      .map((cell) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!)),
  )
}

/** The backticked names in the first column of the tables under README's `### heading`. */
async function firstColumn(heading: string): Promise<string[]> {
  return (await tableRows(heading)).flatMap((cells) => cells[0]!).sort()
}

const sorted = (names: (string | undefined)[]) => names.filter((n): n is string => !!n).sort()

describe('documented API (README ↔ custom-elements.json)', () => {
  it('lists the same attributes', async () => {
    const declared = await widgetDeclaration()
    expect(await firstColumn('Attributes')).to.deep.equal(
      sorted(declared.attributes!.map((a) => a.name)),
    )
  })

  it('lists the same parts', async () => {
    const declared = await widgetDeclaration()
    expect(await firstColumn('Parts')).to.deep.equal(sorted(declared.cssParts!.map((p) => p.name)))
  })

  it('lists the same CSS variables', async () => {
    const declared = await widgetDeclaration()
    expect(await firstColumn('Theming')).to.deep.equal(
      sorted(declared.cssProperties!.map((p) => p.name)),
    )
  })

  it('lists the same events and public methods', async () => {
    const declared = await widgetDeclaration()
    const events = sorted(declared.events!.map((e) => e.name))
    expect(await firstColumn('JavaScript API and events')).to.include.members(events)
    const methods = declared
      .members!.filter((m) => m.kind === 'method' && !m.privacy && !m.static)
      .map((m) => `${m.name}()`)
    expect(methods).to.include.members(['open()', 'close()', 'toggle()'])
    const api = (await firstColumn('JavaScript API and events')).join(' ')
    for (const method of methods) expect(api).to.contain(method.replace('()', '('))
  })

  it('names the property of each attribute', async () => {
    const declared = await widgetDeclaration()
    const documented = (await tableRows('Attributes')).map(
      ([attribute, property]) => `${attribute} → ${property}`,
    )
    expect(documented.sort()).to.deep.equal(
      sorted(declared.attributes!.map((a) => `${a.name} → ${a.fieldName}`)),
    )
  })

  it('documents every public property, and no property the element lacks', async () => {
    const declared = await widgetDeclaration()
    const properties = sorted(
      declared
        .members!.filter((m) => m.kind === 'field' && !m.privacy && !m.static)
        .map((m) => m.name),
    )
    expect(properties).to.include.members(['server', 'client', 'locale', 'allStrings'])
    const withAttribute = (await tableRows('Attributes')).map(([, property]) => property![0]!)
    // The API table's plain names (not `method(…)`, not events) are properties.
    const events = new Set(declared.events!.map((e) => e.name))
    const api = (await firstColumn('JavaScript API and events')).filter(
      (name) => !name.includes('(') && !events.has(name),
    )
    const documented = new Set([...withAttribute, ...api])
    expect(
      properties.filter((name) => !documented.has(name)),
      'not in README (Attributes, or JavaScript API)',
    ).to.deep.equal([])
    expect(
      api.filter((name) => !properties.includes(name)),
      'in README, not a property',
    ).to.deep.equal([])
  })

  it('is up to date with the element (run `npm run manifest` after changing it)', async () => {
    const declared = await widgetDeclaration()
    const properties = (
      ChatWidget as unknown as {
        elementProperties: Map<string, { attribute?: unknown; state?: boolean }>
      }
    ).elementProperties
    const attributes = [...properties]
      .filter(([, options]) => !options.state && options.attribute !== false)
      .map(([name, options]) =>
        typeof options.attribute === 'string' ? options.attribute : String(name).toLowerCase(),
      )
    expect(sorted(attributes)).to.deep.equal(sorted(declared.attributes!.map((a) => a.name)))
  })
})
