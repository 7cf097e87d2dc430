/**
 * Parts that few visitors see (the leave-a-message form, the end of a chat, the image lightbox)
 * are loaded the first time they are needed, so that opening the chat does not download them.
 * An element rendered before its definition arrives is empty until then, and is upgraded in
 * place (with the properties already set on it) once its module has run.
 */

const loading = new Map<string, Promise<void>>()

/**
 * Resolves once `tag` is defined, running `load` (the module that defines it) the first time.
 * A failed load (the chunk did not arrive) is forgotten, so the next call tries again.
 */
export function defineOnDemand(tag: string, load: () => Promise<unknown>): Promise<void> {
  if (customElements.get(tag)) return Promise.resolve()
  let defined = loading.get(tag)
  if (!defined) {
    defined = load().then(
      () => {
        loading.delete(tag)
      },
      (error: unknown) => {
        loading.delete(tag)
        throw error
      },
    )
    loading.set(tag, defined)
  }
  return defined
}
