import { type ElementPart, nothing } from 'lit'
import { Directive, directive, type PartInfo, PartType } from 'lit/directive.js'

/**
 * Sets inline style properties through the CSSOM (`element.style.setProperty`), never through a
 * `style` attribute: a page whose Content-Security-Policy has no `style-src 'unsafe-inline'`
 * refuses `style="…"` (Lit's `styleMap` writes its first value as one), not the CSSOM.
 *
 *   html`<span class="bar" ${styleProps({ width: '40%' })}></span>`
 */
class StylePropsDirective extends Directive {
  private previous = new Set<string>()

  constructor(partInfo: PartInfo) {
    super(partInfo)
    if (partInfo.type !== PartType.ELEMENT) {
      throw new Error('styleProps() belongs in an element tag, not in an attribute or text')
    }
  }

  render(_properties: Readonly<Record<string, string>>) {
    return nothing
  }

  override update(part: ElementPart, [properties]: [Readonly<Record<string, string>>]) {
    const { style } = part.element as HTMLElement
    for (const name of this.previous) if (!(name in properties)) style.removeProperty(name)
    for (const [name, value] of Object.entries(properties)) style.setProperty(name, value)
    this.previous = new Set(Object.keys(properties))
    return nothing
  }
}

export const styleProps = directive(StylePropsDirective)
