import '../../components/message-list/message-list.ts'
import { expect, fixture, html } from '@open-wc/testing'
import {
  GROUP_GAP_MS,
  GROUP_MAX_SIZE,
  groupItems,
} from '../../components/message-list/chat-item.ts'
import {
  type ChatItem,
  type ChatWidgetMessageList,
  WINDOW_INITIAL,
  WINDOW_MOST,
  WINDOW_WHOLE,
} from '../../components/message-list/message-list.ts'
import type { Agent } from '../../src/protocol.ts'
import {
  agentMessage,
  animationsDone,
  eventMessage,
  item,
  message,
  part,
  parts,
  record,
  until,
} from './helpers.ts'

const alex: Agent = {
  id: 'a1',
  status: 'online',
  groups: [],
  nickname: 'Alex',
  fullname: 'Alex Kim',
  description: '',
  avatar: '',
}

/**
 * The list with `items`. A short chat paints its newest first and the rest right after: unless
 * `firstPaint`, this waits for all of it, as a visitor sees it once they can scroll.
 */
async function list(
  items: ChatItem[],
  options: { height?: number; hasMore?: boolean; firstPaint?: boolean } = {},
) {
  const { height = 400, hasMore = false, firstPaint = false } = options
  const el = await fixture<ChatWidgetMessageList>(html`<chat-widget-message-list
    style="height: ${height}px; width: 360px"
    .items=${items}
    .agents=${[alex]}
    .hasMore=${hasMore}
    greeting="Hi! How can we help?"
  ></chat-widget-message-list>`)
  if (!firstPaint && items.length <= WINDOW_WHOLE) {
    const oldest = `[data-key="${CSS.escape(items[0]?.key ?? '')}"]`
    await until(() => !items.length || el.renderRoot.querySelector(oldest), 'never rendered whole')
    // And laid out: its resize observer has kept the view at the newest.
    for (let i = 0; i < 2; i++) await new Promise((resolve) => requestAnimationFrame(resolve))
  }
  return el
}

const scroller = (el: ChatWidgetMessageList) => part(el, 'message-list')
const distanceToBottom = (el: ChatWidgetMessageList) => {
  const { scrollHeight, scrollTop, clientHeight } = scroller(el)
  return scrollHeight - scrollTop - clientHeight
}
const texts = (el: Element[]) => el.map((node) => node.textContent!.replace(/\s+/g, ' ').trim())

/** A long conversation, alternating sides every three messages. */
function conversation(count: number): ChatItem[] {
  return Array.from({ length: count }, (_, i) =>
    item(Math.floor(i / 3) % 2 ? agentMessage(`agent ${i}`) : message({ text: `visitor ${i}` })),
  )
}

describe('chat-widget-message-list', () => {
  it('is accessible', async () => {
    const el = await list([
      item(message({ text: 'Hi' })),
      item(message({ text: 'Anyone?' }), 'failed'),
      item(eventMessage('agent_join')),
      item(agentMessage('Hello, I am Alex')),
    ])
    await animationsDone(el)
    await expect(el).to.be.accessible()
  })

  it('has its documented parts', async () => {
    const el = await list([
      item(message({ text: 'Hi' }), 'failed'),
      item(eventMessage('agent_join')),
      item(agentMessage('Hello')),
    ])
    const names = ['message-list', 'group', 'sender', 'avatar', 'time', 'message']
    names.push('message-contact', 'message-agent', 'message-system', 'delivery-mark')
    names.push('retry-button', 'new-messages')
    for (const name of names) expect(part(el, name)).to.exist
    expect(scroller(el).getAttribute('role')).to.equal('log')

    el.items = []
    await el.updateComplete
    expect(part(el, 'greeting')).to.exist
  })

  it('opens the chat with the greeting, which stays above the first message', async () => {
    const el = await list([])
    expect(part(el, 'greeting').textContent).to.equal('Hi! How can we help?')
    el.items = [item(message({ text: 'Do you ship to Canada?' })), item(agentMessage('We do'))]
    await el.updateComplete
    const greeting = part(el, 'greeting')
    expect(greeting.textContent).to.equal('Hi! How can we help?')
    const first = part(el, 'message')
    expect(first.textContent).to.contain('Do you ship to Canada?')
    expect(greeting.compareDocumentPosition(first) & Node.DOCUMENT_POSITION_FOLLOWING).to.not.equal(
      0,
    )
    expect(greeting.getBoundingClientRect().bottom).to.be.at.most(first.getBoundingClientRect().top)
    // Older messages may exist: the chat's start is not loaded, so neither is its greeting.
    el.hasMore = true
    await el.updateComplete
    expect(parts(el, 'greeting')).to.be.empty
  })

  it('keeps what the visitor reads in place when the greeting comes in above it', async () => {
    const el = await list(conversation(40), { height: 300, hasMore: true })
    // As in Safari, which has no scroll anchoring: the list must keep the view itself.
    scroller(el).style.overflowAnchor = 'none'
    await until(() => distanceToBottom(el) < 2)
    scroller(el).scrollTop = 200
    await until(() => scroller(el).scrollTop === 200)
    const box = scroller(el).getBoundingClientRect()
    const reading = parts(el, 'message').find(
      (bubble) => bubble.getBoundingClientRect().top > box.top,
    )!
    const top = reading.getBoundingClientRect().top
    el.hasMore = false
    await el.updateComplete
    expect(part(el, 'greeting')).to.exist
    expect(reading.getBoundingClientRect().top).to.be.closeTo(top, 1)
  })

  it('groups consecutive messages by sender, with one name and time per group', async () => {
    const el = await list([
      item(message({ text: 'one' })),
      item(message({ text: 'two' })),
      item(agentMessage('three')),
      item(agentMessage('four')),
      item(agentMessage('five', 'a2')),
      item(message({ text: 'six' })),
    ])
    const groups = parts(el, 'group')
    expect(groups).to.have.length(4)
    expect(groups.map((group) => group.querySelectorAll('[part~="message"]').length)).to.deep.equal(
      [2, 2, 1, 1],
    )
    expect(parts(el, 'time')).to.have.length(4)
    expect(parts(el, 'message-contact')).to.have.length(3)
    expect(parts(el, 'message-agent')).to.have.length(3)
    // The known agent by name and initials; an unknown one under the fallback name.
    expect(texts([...groups[1]!.querySelectorAll('.name')])).to.deep.equal(['Alex'])
    expect(groups[1]!.querySelector('[part="avatar"]')!.textContent).to.equal('A')
    expect(groups[2]!.querySelector('.name')!.textContent).to.equal('Support')
    expect(part(el, 'time').getAttribute('datetime')).to.equal(el.items[0]!.message.createdAt)
  })

  it('starts a new group after a long pause', () => {
    const first = message()
    const soon = message({ createdAt: new Date(Date.parse(first.createdAt) + 1000).toISOString() })
    const later = message({
      createdAt: new Date(Date.parse(soon.createdAt) + GROUP_GAP_MS + 1000).toISOString(),
    })
    const entries = groupItems([item(first), item(soon), item(later)])
    expect(
      entries.map((entry) => (entry.kind === 'system' ? 1 : entry.items.length)),
    ).to.deep.equal([2, 1])
  })

  it('marks the visitor’s messages by delivery state', async () => {
    const el = await list([
      item(message({ text: 'a' }), 'sending'),
      item(message({ text: 'b' }), 'sent'),
      item(message({ text: 'c' }), 'seen'),
      item(agentMessage('d')),
    ])
    const marks = parts(el, 'delivery-mark')
    expect(marks.map((mark) => mark.dataset.state)).to.deep.equal(['sending', 'sent', 'seen'])
    expect(marks.map((mark) => mark.getAttribute('aria-label'))).to.deep.equal([
      'Sending',
      'Sent',
      'Seen',
    ])
    expect(marks.every((mark) => mark.querySelector('svg'))).to.be.true
    expect(parts(el, 'retry-button')).to.be.empty
  })

  it('offers a retry for a failed message', async () => {
    const failed = item(message({ text: 'lost' }), 'failed')
    failed.key = 'client-1'
    const el = await list([failed])
    expect(part(el, 'delivery-mark').getAttribute('aria-label')).to.equal('Not sent')
    expect(el.shadowRoot!.querySelector('.failed')!.textContent).to.contain('Not sent')
    const retries = record(el, 'chat-widget-retry')
    part(el, 'retry-button').click()
    expect(retries.length).to.equal(1)
    expect(retries[0]!.key).to.equal('client-1')
    expect(retries[0]!.messageId).to.equal(failed.message.id)
    expect(retries[0]!.composed).to.be.true
  })

  it('centres system lines for events and ratings', async () => {
    const el = await list([
      item(eventMessage('agent_join')),
      item(eventMessage('agent_leave')),
      item(eventMessage('chat_close', null)),
      item(eventMessage('agent_assign', 'a1', 'Custom text from the server')),
      item(
        message({
          subType: 'system',
          content: { type: 'rate_form', text: null, data: { value: 4, text: 'Quick!' } },
        }),
      ),
      item(message({ subType: 'system', content: { type: 'rate_form', text: null, data: null } })),
    ])
    const lines = parts(el, 'message-system')
    expect(lines.every((line) => line.matches('[part~="message"]'))).to.be.true
    expect(texts(lines.map((line) => line.querySelector('span')!))).to.deep.equal([
      'Alex joined the chat',
      'Alex left the chat',
      'The chat was closed',
      'Custom text from the server',
      'You rated the chat 4/5 — “Quick!”',
      'How would you rate this chat?',
    ])
    expect(getComputedStyle(lines[0]!).alignSelf).to.equal('center')
    expect(parts(el, 'group')).to.be.empty
  })

  it('gives each text its own direction: Arabic reads right to left in an English chat', async () => {
    const el = await list([
      item(message({ text: 'مرحبا، هل تشحنون إلى كندا؟' })),
      item(agentMessage('Yes, in 5 days.')),
    ])
    const direction = (node: Element) => getComputedStyle(node).direction
    const [arabic, english] = parts(el, 'message').map((bubble) => bubble.querySelector('.text')!)
    expect(direction(arabic!)).to.equal('rtl')
    expect(direction(english!)).to.equal('ltr')

    // And the other way round: an English greeting in an Arabic (right-to-left) page.
    const rtl = await fixture<ChatWidgetMessageList>(html`<div dir="rtl">
      <chat-widget-message-list greeting="Hi! Ask us anything."></chat-widget-message-list>
    </div>`)
    const list2 = rtl.querySelector('chat-widget-message-list')!
    await list2.updateComplete
    expect(direction(part(list2, 'greeting'))).to.equal('ltr')
  })

  it('renders texts as text, keeping line breaks', async () => {
    const attack = '<img src=x onerror="window.__pwned = true"> <b>bold</b>'
    const el = await list([item(message({ text: attack })), item(agentMessage('line 1\nline 2'))])
    const [visitor, agent] = [part(el, 'message-contact'), part(el, 'message-agent')]
    expect(visitor.textContent!.trim()).to.equal(attack)
    expect(visitor.querySelector('img, b')).to.be.null
    expect((window as { __pwned?: boolean }).__pwned).to.be.undefined
    expect(agent.textContent!.trim()).to.equal('line 1\nline 2')
    expect(getComputedStyle(agent.querySelector('.text')!).whiteSpace).to.equal('pre-wrap')
  })

  it('turns http(s) addresses into safe links, and nothing else', async () => {
    const el = await list([
      item(
        agentMessage('See https://example.com/a?b=1. Or www.example.org, or javascript:alert(1)'),
      ),
    ])
    const links = [...part(el, 'message-agent').querySelectorAll('a')]
    expect(links.map((link) => link.getAttribute('href'))).to.deep.equal([
      'https://example.com/a?b=1',
      'https://www.example.org/',
    ])
    expect(links.map((link) => link.textContent)).to.deep.equal([
      'https://example.com/a?b=1',
      'www.example.org',
    ])
    expect(links.every((link) => link.rel.includes('noopener') && link.target === '_blank')).to.be
      .true
    expect(part(el, 'message-agent').textContent).to.contain('or javascript:alert(1)')
  })

  it('turns e-mail addresses into mailto: links, and other schemes into nothing', async () => {
    const text =
      'Write to ada@example.com or mailto:bob@example.org. Not mailto:javascript:alert(1), ' +
      'data:text/html,<b>x</b>, vbscript:msgbox(1) or JaVaScRiPt&#58;alert(1)'
    const el = await list([item(agentMessage(text))])
    const bubble = part(el, 'message-agent')
    const links = [...bubble.querySelectorAll('a')]
    expect(links.map((link) => link.getAttribute('href'))).to.deep.equal([
      'mailto:ada@example.com',
      'mailto:bob@example.org',
    ])
    expect(links.every((link) => link.rel.includes('noreferrer') && link.target === '_blank')).to.be
      .true
    expect(bubble.textContent!.trim()).to.equal(text)
  })

  it('keeps a message’s element when its pending send is confirmed (keyed by item key)', async () => {
    const pending = item(message({ id: 'local-1', text: 'hi' }), 'sending')
    pending.key = 'client-1'
    const el = await list([pending])
    const before = part(el, 'message-contact')
    el.items = [{ ...pending, message: { ...pending.message, id: 'server-9' }, state: 'sent' }]
    await el.updateComplete
    expect(part(el, 'message-contact')).to.equal(before)
    expect(part(el, 'delivery-mark').dataset.state).to.equal('sent')
  })

  describe('scrolling', () => {
    it('starts at the newest message', async () => {
      const el = await list(conversation(40), { height: 300 })
      await until(() => distanceToBottom(el) < 2, 'not at the bottom')
    })

    it('follows new messages when the visitor is at the bottom', async () => {
      const el = await list(conversation(40), { height: 300 })
      await until(() => distanceToBottom(el) < 2)
      el.items = [...el.items, item(agentMessage('new one'))]
      await el.updateComplete
      await until(() => distanceToBottom(el) < 2, 'did not follow the new message')
      expect(part(el, 'new-messages').hidden).to.be.true
    })

    it('stays at the bottom when the list gets shorter or its content grows', async () => {
      const el = await list(conversation(40), { height: 300 })
      await until(() => distanceToBottom(el) < 2)
      el.style.height = '200px' // e.g. the composer grew, or a banner opened above
      await until(() => distanceToBottom(el) < 2, 'lost the bottom when the list shrank')
      const bubble = part(el, 'message-agent')
      bubble.style.paddingBottom = '300px' // e.g. an image loaded
      await until(() => distanceToBottom(el) < 2, 'lost the bottom when the content grew')
    })

    it('does not yank a visitor reading older messages: it shows the pill instead', async () => {
      const el = await list(conversation(40), { height: 300 })
      await until(() => distanceToBottom(el) < 2)
      scroller(el).scrollTop = 200
      await until(() => distanceToBottom(el) > 500)
      el.items = [...el.items, item(agentMessage('while you read'))]
      await el.updateComplete
      expect(scroller(el).scrollTop).to.equal(200)
      const pill = part(el, 'new-messages')
      expect(pill.hidden).to.be.false
      expect(pill.textContent).to.contain('New messages')

      pill.click()
      await until(() => distanceToBottom(el) < 2, 'the pill did not scroll down')
      await el.updateComplete
      expect(pill.hidden).to.be.true
    })

    it('scrolls to the visitor’s own new message even when scrolled up', async () => {
      const el = await list(conversation(40), { height: 300 })
      await until(() => distanceToBottom(el) < 2)
      scroller(el).scrollTop = 0
      await until(() => scroller(el).scrollTop === 0)
      el.items = [...el.items, item(message({ text: 'mine' }), 'sending')]
      await el.updateComplete
      await until(() => distanceToBottom(el) < 2, 'did not scroll to own message')
    })

    it('asks for older messages at the top, once, and keeps the view when they arrive', async () => {
      const items = conversation(40)
      const el = await list(items, { height: 300, hasMore: true })
      const requests = record(el, 'chat-widget-load-older')
      await until(() => distanceToBottom(el) < 2)
      expect(requests.length).to.equal(0)

      scroller(el).scrollTop = 0
      await until(() => requests.length === 1, 'no load-older request at the top')
      expect(requests[0]!.before).to.equal(items[0]!.message.id)
      el.loadingOlder = true
      await el.updateComplete
      expect(scroller(el).getAttribute('aria-busy')).to.equal('true')
      scroller(el).scrollTop = 1
      await new Promise((resolve) => requestAnimationFrame(resolve))
      expect(requests.length).to.equal(1)

      const firstShown = part(el, 'message')
      const offset = () => firstShown.getBoundingClientRect().top
      const before = offset()
      const older = Array.from({ length: 10 }, (_, i) => item(agentMessage(`older ${i}`, 'a2')))
      el.items = [...older, ...el.items]
      el.loadingOlder = false
      await el.updateComplete
      expect(Math.abs(offset() - before)).to.be.below(40)
      expect(part(el, 'new-messages').hidden).to.be.true
    })

    it('asks for nothing when there is nothing more', async () => {
      const el = await list(conversation(40), { height: 300, hasMore: false })
      const requests = record(el, 'chat-widget-load-older')
      scroller(el).scrollTop = 0
      await until(() => scroller(el).scrollTop === 0)
      await new Promise((resolve) => requestAnimationFrame(resolve))
      expect(requests.length).to.equal(0)
    })
  })

  describe('a long chat (rendered in part)', () => {
    /** The numbers of the messages rendered ("visitor 12" → 12), top to bottom. */
    const shown = (el: ChatWidgetMessageList) =>
      parts(el, 'message').map((bubble) => Number(/\d+/.exec(bubble.textContent!)![0]))
    const frame = () => new Promise((resolve) => requestAnimationFrame(resolve))
    /** A bound on the elements of any rendered part: the most messages, a group more. */
    const mostMessages = WINDOW_MOST + GROUP_MAX_SIZE

    /** Rendered numbers form one run, oldest first, with nothing left out. */
    function expectContiguous(numbers: number[]) {
      expect(numbers.length).to.be.greaterThan(0)
      const run = numbers.map((_, i) => numbers[0]! + i)
      expect(numbers).to.deep.equal(run)
    }

    it('shows the newest of 5,000 messages at the bottom with a bounded DOM', async () => {
      const small = await list(conversation(50), { height: 300 })
      const smallCount = small.shadowRoot!.querySelectorAll('*').length
      const el = await list(conversation(5000), { height: 300 })
      await until(() => distanceToBottom(el) < 2, 'not at the bottom')
      const numbers = shown(el)
      expect(numbers.at(-1)).to.equal(4999)
      expectContiguous(numbers)
      expect(numbers.length).to.be.at.most(mostMessages)
      expect(el.shadowRoot!.querySelectorAll('*').length).to.be.below(2 * smallCount)
      expect(scroller(el).getAttribute('role')).to.equal('log')
    })

    it('paints its newest messages first and fills the margin above them right after', async () => {
      const el = await list(conversation(5000), { height: 300 })
      // The first frame: only the newest few (whole groups), at the bottom.
      await frame()
      const first = shown(el)
      expect(first.length).to.be.at.most(WINDOW_INITIAL + GROUP_MAX_SIZE)
      expect(first.at(-1)).to.equal(4999)
      // Once it has painted, more above, with the view still at the newest.
      await until(() => shown(el).length > first.length, 'the margin never filled')
      expectContiguous(shown(el))
      expect(shown(el).at(-1)).to.equal(4999)
      expect(distanceToBottom(el)).to.be.below(2)
    })

    it('paints the newest of a short chat first, then renders all of it', async () => {
      const el = await list(conversation(50), { height: 300, firstPaint: true })
      await frame()
      const first = shown(el)
      expect(first.length).to.be.at.most(WINDOW_INITIAL + GROUP_MAX_SIZE)
      expect(first.at(-1)).to.equal(49)
      // Once that has painted, the whole chat (up to `WINDOW_WHOLE`), the view still at the newest.
      await until(() => shown(el).length === 50, 'the rest never rendered')
      expectContiguous(shown(el))
      await until(() => distanceToBottom(el) < 2, 'not at the bottom')
      // Scrolled to the top, the oldest is there.
      scroller(el).scrollTop = 0
      await frame()
      expect(shown(el)[0]).to.equal(0)
    })

    it('renders nothing in a scroll’s own frame while a view of messages is left above, then fills', async () => {
      const el = await list(conversation(5000), { height: 300 })
      await until(() => distanceToBottom(el) < 2, 'not at the bottom')
      let settled = shown(el).length
      await until(async () => {
        await frame()
        await frame()
        const now = shown(el).length
        const same = now === settled
        settled = now
        return same
      }, 'the margin never settled')
      const oldest = shown(el)[0]!
      /** Whether the scroll to `top` had the list render more in the scroll event itself. */
      const rendersAt = (top: number) =>
        new Promise<boolean>((resolve) => {
          const first = shown(el)[0]!
          // After the list's own listener and the update it asked for (microtasks run between
          // listeners).
          scroller(el).addEventListener('scroll', () => resolve(shown(el)[0]! < first), {
            once: true,
          })
          scroller(el).scrollTop = top
        })
      // 400 px above the view are rendered (more than its 300 px): nothing now, more after.
      expect(await rendersAt(400)).to.equal(false)
      await until(() => shown(el)[0]! < oldest, 'nothing rendered after the frame')
      expectContiguous(shown(el))
      // At the edge of what is rendered: at once.
      expect(await rendersAt(50)).to.equal(true)
    })

    it('renders older messages on demand as the visitor scrolls up, and drops the far side', async function () {
      this.timeout(30_000)
      const el = await list(conversation(1500), { height: 300 })
      await until(() => distanceToBottom(el) < 2)
      let most = 0
      for (let i = 0; i < 3000 && shown(el)[0] !== 0; i++) {
        scroller(el).scrollBy(0, -250)
        await frame()
        const numbers = shown(el)
        expectContiguous(numbers)
        most = Math.max(most, numbers.length)
      }
      expect(shown(el)[0], 'never reached the oldest').to.equal(0)
      expect(shown(el)).not.to.include(1499)
      expect(most).to.be.at.most(mostMessages)

      // And back down: the newest come back, scrolling with the visitor.
      for (let i = 0; i < 3000 && distanceToBottom(el) > 1; i++) {
        scroller(el).scrollBy(0, 250)
        await frame()
        expectContiguous(shown(el))
      }
      expect(shown(el).at(-1), 'never reached the newest').to.equal(1499)
    })

    it('does not move what the visitor reads when a message arrives; the pill jumps to the newest', async function () {
      this.timeout(20_000)
      const el = await list(conversation(5000), { height: 300 })
      await until(() => distanceToBottom(el) < 2)
      for (let i = 0; i < 400 && shown(el).at(-1) === 4999; i++) {
        scroller(el).scrollBy(0, -250)
        await frame()
      }
      expect(shown(el)).not.to.include(4999)
      await frame()
      const reading = parts(el, 'message').find(
        (bubble) => bubble.getBoundingClientRect().top > scroller(el).getBoundingClientRect().top,
      )!
      const top = reading.getBoundingClientRect().top
      const scrollTop = scroller(el).scrollTop

      el.items = [...el.items, item(agentMessage('5000 while you read'))]
      await el.updateComplete
      expect(reading.isConnected).to.be.true
      expect(reading.getBoundingClientRect().top).to.be.closeTo(top, 1)
      expect(scroller(el).scrollTop).to.equal(scrollTop)
      const pill = part(el, 'new-messages')
      expect(pill.hidden).to.be.false

      pill.click()
      await until(() => shown(el).at(-1) === 5000, 'the newest is not rendered')
      await until(() => distanceToBottom(el) < 2, 'the pill did not scroll down')
      expect(pill.hidden).to.be.true
      expect(shown(el).length).to.be.at.most(mostMessages)
    })

    it('follows new messages at the bottom without growing the DOM', async () => {
      const el = await list(conversation(5000), { height: 300 })
      await until(() => distanceToBottom(el) < 2)
      for (let i = 0; i < 120; i++) el.items = [...el.items, item(agentMessage(`${5000 + i} new`))]
      await el.updateComplete
      await until(() => distanceToBottom(el) < 2, 'did not follow')
      expect(shown(el).at(-1)).to.equal(5119)
      expectContiguous(shown(el))
      expect(shown(el).length).to.be.at.most(mostMessages)
    })

    it('asks for older messages only once the oldest is rendered, and keeps the view', async function () {
      this.timeout(20_000)
      const items = conversation(300)
      const el = await list(items, { height: 300, hasMore: true })
      const requests = record(el, 'chat-widget-load-older')
      await until(() => distanceToBottom(el) < 2)
      scroller(el).scrollTop = 0
      await frame()
      await frame()
      expect(requests.length, 'asked while the oldest was not rendered').to.equal(0)
      for (let i = 0; i < 500 && requests.length === 0; i++) {
        scroller(el).scrollTop = 0
        await frame()
      }
      expect(requests.length).to.equal(1)
      expect(requests[0]!.before).to.equal(items[0]!.message.id)

      const firstShown = part(el, 'message')
      const before = firstShown.getBoundingClientRect().top
      const older = Array.from({ length: 50 }, (_, i) => item(agentMessage(`older ${i}`, 'a2')))
      el.items = [...older, ...el.items]
      await el.updateComplete
      expect(firstShown.isConnected).to.be.true
      expect(Math.abs(firstShown.getBoundingClientRect().top - before)).to.be.below(40)
    })

    it('shows the greeting above the oldest message once the visitor scrolls up to it', async function () {
      this.timeout(20_000)
      const el = await list(conversation(300), { height: 300 })
      await until(() => distanceToBottom(el) < 2)
      expect(parts(el, 'greeting'), 'rendered while the oldest is not').to.be.empty
      for (let i = 0; i < 500 && shown(el)[0] !== 0; i++) {
        scroller(el).scrollTop = 0
        await frame()
      }
      expect(shown(el)[0]).to.equal(0)
      const greeting = part(el, 'greeting')
      const oldest = part(el, 'message')
      expect(greeting.getBoundingClientRect().bottom).to.be.at.most(
        oldest.getBoundingClientRect().top,
      )
    })

    it('keeps the focused image button or link rendered while scrolling far from it', async function () {
      this.timeout(20_000)
      const items = conversation(1000)
      items[990] = item(agentMessage('990 see https://example.com/doc'))
      const el = await list(items, { height: 300 })
      await until(() => distanceToBottom(el) < 2)
      const link = el.shadowRoot!.querySelector<HTMLAnchorElement>('.text a')!
      link.focus()
      for (let i = 0; i < 200; i++) {
        scroller(el).scrollBy(0, -250)
        await frame()
      }
      expect(link.isConnected).to.be.true
      expect(el.shadowRoot!.activeElement).to.equal(link)
    })
  })
})
