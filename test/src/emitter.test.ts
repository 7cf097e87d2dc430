import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { Emitter } from '../../src/client/emitter.ts'

interface Events {
  ping: [n: number]
  pair: [a: string, b: boolean]
  none: []
}

/** `emit` is protected: the client emits, its users listen. */
class TestEmitter extends Emitter<Events> {
  fire<K extends keyof Events>(event: K, ...args: Events[K]): void {
    this.emit(event, ...args)
  }
}

describe('Emitter', () => {
  test('calls listeners in order with their arguments', () => {
    const emitter = new TestEmitter()
    const calls: string[] = []
    emitter.on('pair', (a, b) => calls.push(`1:${a}:${b}`))
    emitter.on('pair', (a, b) => calls.push(`2:${a}:${b}`))
    emitter.on('none', () => calls.push('none'))
    emitter.fire('pair', 'x', true)
    emitter.fire('none')
    assert.deepEqual(calls, ['1:x:true', '2:x:true', 'none'])
  })

  test('on returns an unsubscribe function', () => {
    const emitter = new TestEmitter()
    const seen: number[] = []
    const unsubscribe = emitter.on('ping', (n) => seen.push(n))
    emitter.fire('ping', 1)
    unsubscribe()
    unsubscribe() // twice is harmless
    emitter.fire('ping', 2)
    assert.deepEqual(seen, [1])
    assert.equal(emitter.listenerCount('ping'), 0)
  })

  test('once runs a single time and can be cancelled before it runs', () => {
    const emitter = new TestEmitter()
    const seen: number[] = []
    emitter.once('ping', (n) => seen.push(n))
    const cancel = emitter.once('ping', (n) => seen.push(n * 100))
    cancel()
    emitter.fire('ping', 1)
    emitter.fire('ping', 2)
    assert.deepEqual(seen, [1])
  })

  test('off removes one listener, one event, or everything', () => {
    const emitter = new TestEmitter()
    const seen: string[] = []
    const a = (n: number) => seen.push(`a${n}`)
    const b = (n: number) => seen.push(`b${n}`)
    emitter.on('ping', a)
    emitter.on('ping', b)
    emitter.on('none', () => seen.push('none'))
    emitter.off('ping', a)
    emitter.fire('ping', 1)
    emitter.off('ping')
    emitter.fire('ping', 2)
    emitter.off()
    emitter.fire('none')
    assert.deepEqual(seen, ['b1'])
  })

  test('a listener removed by an earlier one during emit is not called', () => {
    const emitter = new TestEmitter()
    const seen: string[] = []
    const second = () => seen.push('second')
    emitter.on('none', () => {
      seen.push('first')
      emitter.off('none', second)
    })
    emitter.on('none', second)
    emitter.fire('none')
    assert.deepEqual(seen, ['first'])
  })

  test('a throwing listener does not stop the others; its error is reported', async () => {
    const emitter = new TestEmitter()
    const seen: number[] = []
    const boom = new Error('boom')
    const reported = new Promise<unknown>((resolve) => {
      ;(globalThis as { reportError?: (error: unknown) => void }).reportError = resolve
    })
    try {
      emitter.on('ping', () => {
        throw boom
      })
      emitter.on('ping', (n) => seen.push(n))
      emitter.fire('ping', 7)
      assert.deepEqual(seen, [7])
      assert.equal(await reported, boom)
    } finally {
      delete (globalThis as { reportError?: unknown }).reportError
    }
  })
})
