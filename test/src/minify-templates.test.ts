import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, test } from 'node:test'
// Vite's own CSS minifier (a dependency of vite): here only the judge of equivalence.
import { transform } from 'lightningcss'
import { parseAst, transformWithOxc } from 'vite'
import { minifyCss, minifyHtml, minifyTemplateLiterals } from '../../scripts/minify-templates.ts'

/** Every module of the widget's components and styles. */
const files = ['components', 'styles'].flatMap((dir) =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => join(dir, file)),
)

/** Every `css` template of the widget, by file. */
function stylesheets(): [file: string, text: string][] {
  return files.flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/\bcss`([^`]*)`/g)].map((match): [string, string] => [
      file,
      match[1] ?? '',
    ]),
  )
}

/** A sheet as lightningcss minifies it, spaces after commas aside (it keeps some). */
function normalized(text: string): string {
  return transform({ filename: 'sheet.css', code: Buffer.from(text), minify: true })
    .code.toString()
    .replace(/, /g, ',')
}

describe('minifyCss', () => {
  test('every stylesheet of the widget means the same after it, and is smaller', () => {
    const sheets = stylesheets()
    assert.ok(sheets.length > 10, 'found the stylesheets')
    for (const [file, text] of sheets) {
      const minified = minifyCss(text)
      assert.equal(normalized(minified), normalized(text), file)
      assert.ok(minified.length < text.length, file)
      assert.ok(!minified.includes('\n'), file)
    }
  })

  test('drops comments, keeps strings and the spaces that mean something', () => {
    assert.equal(
      minifyCss(`
        /* it's a comment: 'quoted' */
        :host .a > b:hover, .c {
          content: 'a  /* b */  c';
          margin: calc(100% - 4px) 0 !important;
        }
      `),
      `:host .a>b:hover,.c{content:'a  /* b */  c';margin:calc(100% - 4px) 0!important}`,
    )
  })

  test('keeps a space next to an interpolation', () => {
    assert.equal(minifyCss(' .a ', false, false), ' .a ')
    assert.equal(minifyCss('\n  .a {\n', true, false), '.a{')
  })
})

describe('minifyHtml', () => {
  test('a line break with its indentation becomes one space; other text stays', () => {
    assert.equal(
      minifyHtml(
        `<button\n    part="x"\n    type="button"\n  >\n    <span>a</span>  <b>b</b>\n</button>\n`,
      ),
      '<button part="x" type="button"> <span>a</span>  <b>b</b> </button> ',
    )
    assert.equal(minifyHtml('<p class="text">a\tb  c</p>'), '<p class="text">a\tb  c</p>')
  })
})

describe('minifyTemplateLiterals', () => {
  const code = [
    "import { css, html } from 'lit'",
    "const label = '…—'",
    'export const styles = css`',
    '  :host {',
    '    color: red;',
    '  }',
    '`',
    'export const view = (x) => html`<div>',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the source of a template, as text
    '    <span>${x}</span>',
    '  </div>`',
    'export const plain = `keep',
    '   this`; export const after = 1',
  ].join('\n')

  test('minifies the css and html templates only, and the module still parses', async () => {
    const out = minifyTemplateLiterals(code)
    assert.match(out, /css`:host\{color:red\}`/)
    assert.match(out, /html`<div> <span>\$\{\s*x\}<\/span> <\/div>`/)
    assert.ok(out.includes('`keep\n   this`'), 'an untagged template is left alone')
    parseAst(out)
  })

  test('every module of the widget still parses, keeps its lines, and only loses whitespace', async () => {
    for (const file of files) {
      // As the plugin sees it: after the TypeScript transform.
      const { code } = await transformWithOxc(readFileSync(file, 'utf8'), file, {
        decorator: { legacy: true },
      } as Parameters<typeof transformWithOxc>[2])
      const out = minifyTemplateLiterals(code)
      assert.equal(out.split('\n').length, code.split('\n').length, file)
      assert.deepEqual(templates(out), templates(code), file)
    }
  })

  test('code after a template keeps its line and column', () => {
    const out = minifyTemplateLiterals(code)
    const position = (text: string, needle: string) => {
      const before = text.slice(0, text.indexOf(needle))
      return [before.split('\n').length, before.length - before.lastIndexOf('\n')]
    }
    for (const needle of [
      'export const view',
      'export const plain',
      'export const after',
      'x}</span>',
    ]) {
      assert.deepEqual(position(out, needle), position(code, needle), needle)
    }
  })
})

/** The text of each tagged template of `code`, without whitespace, CSS comments and `;` before `}`. */
function templates(code: string): string[] {
  const found: string[] = []
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const child of node) visit(child)
      return
    }
    if (!node || typeof node !== 'object') return
    const { type, quasi } = node as {
      type?: string
      quasi?: { quasis: { value: { raw: string } }[] }
    }
    if (type === 'TaggedTemplateExpression' && quasi) {
      for (const { value } of quasi.quasis) {
        found.push(
          value.raw
            .replace(/\/\*[\s\S]*?\*\//g, '')
            .replace(/\s+/g, '')
            .replace(/;}/g, '}'),
        )
      }
    }
    for (const value of Object.values(node)) if (value && typeof value === 'object') visit(value)
  }
  visit(parseAst(code))
  return found
}
