import '../../components/drop-zone/drop-zone.ts'
import { expect, fixture, html } from '@open-wc/testing'
import type { ChatWidgetDropZone } from '../../components/drop-zone/drop-zone.ts'
import { part, record } from './helpers.ts'

async function zone(disabled = false) {
  return fixture<ChatWidgetDropZone>(html`<chat-widget-drop-zone
    ?disabled=${disabled}
    style="height: 300px; width: 300px"
  >
    <p id="inner">Messages <b id="child">here</b></p>
  </chat-widget-drop-zone>`)
}

function files(...names: string[]) {
  const data = new DataTransfer()
  for (const name of names) data.items.add(new File(['x'], name, { type: 'image/png' }))
  return data
}

function text(value: string) {
  const data = new DataTransfer()
  data.setData('text/plain', value)
  data.setData('text/uri-list', 'https://example.com/')
  return data
}

function drag(target: Element, type: string, dataTransfer: DataTransfer) {
  const event = new DragEvent(type, {
    dataTransfer,
    bubbles: true,
    composed: true,
    cancelable: true,
  })
  target.dispatchEvent(event)
  return event
}

const overlay = (el: ChatWidgetDropZone) => part(el, 'drop-zone')
const shown = (el: ChatWidgetDropZone) => !overlay(el).hidden && overlay(el).offsetHeight > 0

describe('chat-widget-drop-zone', () => {
  it('is accessible', async () => {
    const el = await zone()
    await expect(el).to.be.accessible()
    drag(el, 'dragenter', files('a.png'))
    await el.updateComplete
    await expect(el).to.be.accessible()
  })

  it('shows its slotted content and a hidden overlay', async () => {
    const el = await zone()
    expect(el.querySelector('#inner')!.getBoundingClientRect().height).to.be.above(0)
    expect(shown(el)).to.be.false
  })

  it('shows the overlay while files are dragged over, over the content', async () => {
    const el = await zone()
    const data = files('a.png')
    const enter = drag(el.querySelector('#inner')!, 'dragenter', data)
    await el.updateComplete
    expect(enter.defaultPrevented).to.be.true
    expect(shown(el)).to.be.true
    expect(overlay(el).textContent).to.contain('Drop files to send')
    expect(getComputedStyle(overlay(el)).borderStyle).to.equal('dashed')
    const over = drag(el.querySelector('#inner')!, 'dragover', data)
    expect(over.defaultPrevented, 'dragover allows the drop').to.be.true
  })

  it('stays up while the pointer moves between children, hides when it leaves', async () => {
    const el = await zone()
    const data = files('a.png')
    const inner = el.querySelector('#inner')!
    const child = el.querySelector('#child')!
    drag(inner, 'dragenter', data)
    // Into the child: enter on the child first, then leave on the parent.
    drag(child, 'dragenter', data)
    drag(inner, 'dragleave', data)
    await el.updateComplete
    expect(shown(el), 'no flicker on a child').to.be.true
    drag(inner, 'dragenter', data)
    drag(child, 'dragleave', data)
    await el.updateComplete
    expect(shown(el)).to.be.true
    drag(inner, 'dragleave', data)
    await el.updateComplete
    expect(shown(el), 'left the zone').to.be.false
  })

  it('sends the dropped files and hides', async () => {
    const el = await zone()
    const attaches = record(el, 'chat-widget-attach')
    const data = files('a.png', 'b.png')
    drag(el, 'dragenter', data)
    const drop = drag(el.querySelector('#child')!, 'drop', data)
    await el.updateComplete
    expect(drop.defaultPrevented, 'the browser does not open the file').to.be.true
    expect(attaches.length).to.equal(1)
    expect(attaches[0]!.files.map((file) => file.name)).to.deep.equal(['a.png', 'b.png'])
    expect(shown(el)).to.be.false
    // The next drag starts from zero.
    drag(el, 'dragenter', data)
    drag(el, 'dragleave', data)
    await el.updateComplete
    expect(shown(el)).to.be.false
  })

  it('ignores dragged text and links', async () => {
    const el = await zone()
    const attaches = record(el, 'chat-widget-attach')
    const data = text('hello')
    const enter = drag(el, 'dragenter', data)
    const over = drag(el, 'dragover', data)
    const drop = drag(el, 'drop', data)
    await el.updateComplete
    expect(shown(el)).to.be.false
    expect(enter.defaultPrevented || over.defaultPrevented || drop.defaultPrevented).to.be.false
    expect(attaches.length).to.equal(0)
  })

  it('refuses drops when disabled', async () => {
    const el = await zone(true)
    const attaches = record(el, 'chat-widget-attach')
    const data = files('a.png')
    drag(el, 'dragenter', data)
    const over = drag(el, 'dragover', data)
    await el.updateComplete
    expect(shown(el)).to.be.false
    expect(over.dataTransfer!.dropEffect).to.equal('none')
    drag(el, 'drop', data)
    expect(attaches.length).to.equal(0)
  })
})
