import { html, LitElement, type PropertyValues } from 'lit'
import { property, state } from 'lit/decorators.js'
import { base, tokens } from '../../styles/index.ts'
import { AttachEvent } from '../shared/events.ts'
import { paperclipIcon } from '../shared/icons.ts'
import styles from './drop-zone.styles.ts'

/** Texts of the drop zone; set `strings` to translate. */
export interface DropZoneStrings {
  /** Shown on the overlay while files are dragged over. */
  drop: string
}

export const defaultDropZoneStrings: DropZoneStrings = {
  drop: 'Drop files to send',
}

/** Whether a drag carries files (not text, a link or an image from the page). */
const carriesFiles = (event: DragEvent) => event.dataTransfer?.types.includes('Files') ?? false

/**
 * @summary Wraps the chat panel's content so files dropped on it are sent: while files are
 * dragged over, an overlay says "Drop files to send".
 *
 * Only drags that carry files count; dragging text or a link over the panel does nothing.
 * `dragenter` and `dragleave` fire for every child the pointer crosses, so the zone counts
 * them and hides the overlay only when the pointer has left it entirely (or dropped).
 * While `disabled`, a dropped file is refused (and does not make the browser open it).
 *
 * @slot - The content that files can be dropped on.
 *
 * @event chat-widget-attach - Files were dropped; `event.files` (a `File[]`).
 *
 * @csspart drop-zone - The overlay shown while files are dragged over.
 *
 * @cssproperty --chat-widget-accent - The overlay's dashed border and text.
 * @cssproperty --chat-widget-surface - The overlay's background (tinted).
 */
export class ChatWidgetDropZone extends LitElement {
  static override styles = [tokens, base, styles]

  /** Refuses drops (e.g. while the chat cannot take files). */
  @property({ type: Boolean, reflect: true }) disabled = false

  @property({ attribute: false }) strings: Partial<DropZoneStrings> = {}

  /** Files are being dragged over the zone. */
  @state() private active = false

  /** `dragenter`s minus `dragleave`s: above 0 while the pointer is anywhere inside. */
  #depth = 0

  constructor() {
    super()
    this.addEventListener('dragenter', this.#onDragEnter)
    this.addEventListener('dragover', this.#onDragOver)
    this.addEventListener('dragleave', this.#onDragLeave)
    this.addEventListener('drop', this.#onDrop)
  }

  override disconnectedCallback() {
    super.disconnectedCallback()
    this.#reset()
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('disabled') && this.disabled) this.#reset()
  }

  override render() {
    const strings = { ...defaultDropZoneStrings, ...this.strings }
    return html`
      <slot></slot>
      <div part="drop-zone" class="overlay" ?hidden=${!this.active}>
        ${paperclipIcon(32)}
        <p>${strings.drop}</p>
      </div>
    `
  }

  readonly #onDragEnter = (event: DragEvent) => {
    if (!carriesFiles(event)) return
    event.preventDefault()
    this.#depth++
    if (!this.disabled) this.active = true
  }

  readonly #onDragOver = (event: DragEvent) => {
    if (!carriesFiles(event)) return
    // Cancelling dragover is what allows a drop; when disabled it still stops the browser from
    // opening the file in place of the page, and the cursor says "no".
    event.preventDefault()
    if (event.dataTransfer) event.dataTransfer.dropEffect = this.disabled ? 'none' : 'copy'
  }

  readonly #onDragLeave = (event: DragEvent) => {
    if (!carriesFiles(event)) return
    this.#depth = Math.max(0, this.#depth - 1)
    if (this.#depth === 0) this.active = false
  }

  readonly #onDrop = (event: DragEvent) => {
    if (!carriesFiles(event)) return
    event.preventDefault()
    const files = [...(event.dataTransfer?.files ?? [])]
    const disabled = this.disabled
    this.#reset()
    if (!disabled && files.length > 0) this.dispatchEvent(new AttachEvent(files))
  }

  #reset() {
    this.#depth = 0
    this.active = false
  }
}
