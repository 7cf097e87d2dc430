/**
 * A build plugin that minifies the static text of Lit's tagged templates: `css` sheets lose
 * comments and formatting, `html` and `svg` templates lose the indentation between tags. The
 * JavaScript minifier leaves template text alone (it is data), and in the widget it was about a
 * quarter of the bundle before gzip.
 *
 * Only whitespace and CSS comments go, so what renders does not change: in `html`, a run of
 * whitespace that holds a line break becomes one space (a space between inline elements stays a
 * space); text without a line break is left as written. Every removed line break is put back
 * outside the template (after its `${` or closing backtick), padded to the original column, so
 * the code after a template keeps its line and column and the source map stays exact there.
 */
import { type Plugin, parseAst } from 'vite'

/** Lit's template tags, by how their text is minified. */
const TAGS: Record<string, (text: string, first: boolean, last: boolean) => string> = {
  css: minifyCss,
  html: minifyHtml,
  svg: minifyHtml,
}

interface Quasi {
  start: number
  end: number
  /** Characters of the delimiter after the text: 2 for `${`, 1 for the closing backtick. */
  after: number
  text: string
}

interface Node {
  type?: string
  start: number
  end: number
  [key: string]: unknown
}

/** Minifies the templates of our own modules (not node_modules) in production builds. */
export function minifyTemplates(): Plugin {
  return {
    name: 'chat-widget:minify-templates',
    apply: 'build',
    transform(code, id) {
      if (id.includes('/node_modules/') || !/\.[cm]?[jt]s$/.test(id.split('?')[0] ?? '')) return
      if (!/\b(css|html|svg)`/.test(code)) return
      const minified = minifyTemplateLiterals(code)
      return minified === code ? null : { code: minified, map: null }
    },
  }
}

/** `code` (JavaScript) with the text of its `css`, `html` and `svg` templates minified. */
export function minifyTemplateLiterals(code: string): string {
  const quasis: (Quasi & { minify: (typeof TAGS)[string]; first: boolean; last: boolean })[] = []
  walk(parseAst(code) as unknown as Node, (node) => {
    if (node.type !== 'TaggedTemplateExpression') return
    const tag = node.tag as Node & { name?: string }
    const minify = tag.type === 'Identifier' && tag.name ? TAGS[tag.name] : undefined
    if (!minify) return
    const elements = (node.quasi as { quasis: Node[] }).quasis
    elements.forEach((element, index) => {
      const last = index === elements.length - 1
      // ESTree's TemplateElement spans its raw text only; check rather than trust.
      const { start, end } = element
      const raw = (element.value as { raw: string }).raw
      if (code.slice(start, end) !== raw) return
      quasis.push({ start, end, after: last ? 1 : 2, text: raw, minify, first: index === 0, last })
    })
  })
  let out = code
  for (const quasi of quasis.sort((a, b) => b.start - a.start)) {
    const text = quasi.minify(quasi.text, quasi.first, quasi.last)
    if (text === quasi.text) continue
    const delimiterEnd = quasi.end + quasi.after
    const removedBreaks = lineBreaks(quasi.text) - lineBreaks(text)
    const column = delimiterEnd - (code.lastIndexOf('\n', delimiterEnd - 1) + 1)
    // JavaScript whitespace after the delimiter, so everything after it stays where it was.
    const padding =
      removedBreaks > 0
        ? '\n'.repeat(removedBreaks) + ' '.repeat(column)
        : ' '.repeat(quasi.text.length - text.length)
    out =
      out.slice(0, quasi.start) +
      text +
      out.slice(quasi.end, delimiterEnd) +
      padding +
      out.slice(delimiterEnd)
  }
  return out
}

/** CSS without comments and without the whitespace that carries no meaning. */
export function minifyCss(text: string, first = true, last = true): string {
  // Comments go and quoted strings stay as they are (one scan: whichever starts first wins).
  const strings: string[] = []
  let out = text
    .replace(/\/\*[\s\S]*?\*\/|('(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")/g, (_, quoted) => {
      if (quoted === undefined) return ' '
      strings.push(quoted)
      return `\0${strings.length - 1}\0`
    })
    .replace(/\s+/g, ' ')
    .replace(/ ?([{};,>]) ?/g, '$1')
    .replace(/: /g, ':')
    .replace(/ !important/g, '!important')
    .replace(/;}/g, '}')
  if (first) out = out.replace(/^ /, '')
  if (last) out = out.replace(/ $/, '')
  return out.replace(/\0(\d+)\0/g, (_, index: string) => strings[Number(index)] ?? '')
}

/**
 * HTML whose line breaks and indentation are one space each (none before the `>` that closes a
 * tag); other text as written.
 */
export function minifyHtml(text: string): string {
  return text.replace(/[ \t\r\n]*\n[ \t\r\n]*(\/?>)?/g, (_, close?: string) => close ?? ' ')
}

function lineBreaks(text: string): number {
  return text.split('\n').length - 1
}

function walk(node: unknown, visit: (node: Node) => void): void {
  if (Array.isArray(node)) {
    for (const child of node) walk(child, visit)
    return
  }
  if (!node || typeof node !== 'object') return
  const candidate = node as Node
  if (typeof candidate.type === 'string') visit(candidate)
  for (const key in candidate) {
    if (key === 'parent') continue
    const value = candidate[key]
    if (value && typeof value === 'object') walk(value, visit)
  }
}
