import { html, LitElement } from 'lit'
import { property } from 'lit/decorators.js'
import { base, tokens } from '../../styles/index.ts'
import styles from './typing-indicator.styles.ts'

/** Texts of the typing indicator; set `strings` to translate. */
export interface TypingIndicatorStrings {
  /** For screen readers, with the agent's name: "Alex is typing…". */
  typing: (name: string) => string
  /** For screen readers when the name is unknown. */
  someone: string
}

export const defaultTypingIndicatorStrings: TypingIndicatorStrings = {
  typing: (name) => `${name} is typing…`,
  someone: 'The agent is typing…',
}

/**
 * @summary Three bouncing dots while an agent types; screen readers hear "Alex is typing…".
 *
 * The status region stays in the page so its text is announced when it appears; the dots hide
 * when no one types. The dots hold still for visitors who prefer reduced motion.
 *
 * @csspart typing-indicator - The bubble with the dots.
 *
 * @cssproperty --chat-widget-surface-muted - Bubble background.
 * @cssproperty --chat-widget-text-muted - Dot colour.
 */
export class ChatWidgetTypingIndicator extends LitElement {
  static override styles = [tokens, base, styles]

  /** Whether someone is typing: shows the dots. */
  @property({ type: Boolean, reflect: true }) typing = false

  /** Who is typing (the agent's name). */
  @property() name = ''

  @property({ attribute: false }) strings: Partial<TypingIndicatorStrings> = {}

  override render() {
    const strings = { ...defaultTypingIndicatorStrings, ...this.strings }
    const text = this.name ? strings.typing(this.name) : strings.someone
    return html`
      <div class="visually-hidden" role="status">${this.typing ? text : ''}</div>
      <div part="typing-indicator" class="bubble" aria-hidden="true" ?hidden=${!this.typing}>
        <span class="dot"></span><span class="dot"></span><span class="dot"></span>
      </div>
    `
  }
}
