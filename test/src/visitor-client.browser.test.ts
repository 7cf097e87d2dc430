/**
 * The Web SDK in a real browser against a real chat server (started by
 * web-test-runner.config.mjs): the browser-only paths, such as XMLHttpRequest upload progress.
 */
import { expect } from '@open-wc/testing'
import { createVisitorClient, type VisitorClient } from '../../src/index.ts'

interface ChatServerInfo {
  url: string
  key: string
}
const info: Promise<ChatServerInfo> = fetch('/__chat-server.json').then((r) => r.json())

describe('VisitorClient in the browser', () => {
  let client: VisitorClient

  beforeEach(async () => {
    const server = await info
    client = createVisitorClient({
      data: { id: null, key: server.key },
      connection: { url: server.url },
    })
    await client.connect()
  })

  afterEach(async () => {
    await client.disconnect()
  })

  it('fills the page fields of visitor.connect in a browser', () => {
    expect(client.getVisitorId()).to.be.a('string')
    expect(client.isInitialized()).to.equal(true)
  })

  it('uploads a file with real progress and gets it back byte-identical', async () => {
    await client.chatMessage({ content: { type: 'text', text: 'A file follows' } })
    const bytes = new TextEncoder().encode('A line of the report.\n'.repeat(12_000))
    const file = new File([bytes], 'report.txt', { type: 'text/plain' })
    const progress: [number, number][] = []
    const message = await client.uploadFile(file, {
      onProgress: (loaded, total) => progress.push([loaded, total]),
    })
    expect(message.content.type).to.equal('upload')
    const attachment = message.content.data
    expect(attachment.fileName).to.equal('report.txt')
    expect(attachment.size).to.equal(bytes.length)
    expect(progress.length).to.be.greaterThan(0)
    expect(progress.at(-1)![0]).to.equal(progress.at(-1)![1])

    const download = new Uint8Array(await (await fetch(attachment.url)).arrayBuffer())
    expect(download.length).to.equal(bytes.length)
    expect(download.every((byte, i) => byte === bytes[i])).to.equal(true)
  })

  it('rejects with an AbortError when the upload is aborted', async () => {
    await client.chatMessage({ content: { type: 'text', text: 'Abort test' } })
    const controller = new AbortController()
    const file = new File(['x'.repeat(1024 * 1024)], 'big.txt', { type: 'text/plain' })
    const upload = client.uploadFile(file, {
      signal: controller.signal,
      onProgress: () => controller.abort(),
    })
    let error: unknown
    try {
      await upload
    } catch (caught) {
      error = caught
    }
    expect((error as Error)?.name).to.equal('AbortError')
  })
})
