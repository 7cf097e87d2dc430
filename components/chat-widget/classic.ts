/**
 * `chat-widget.classic.js`: for a page that pastes the script tag without `type="module"`.
 * The widget is an ES module split into chunks, which a classic script cannot load; every
 * browser that runs custom elements runs modules, so this tiny loader adds the module script
 * beside itself, with the same `data-*` attributes (install.ts reads them from there).
 */
;(() => {
  const script = document.currentScript
  if (!(script instanceof HTMLScriptElement) || !script.src) return
  const module = document.createElement('script')
  module.type = 'module'
  module.src = new URL('chat-widget.js', script.src).href
  for (const [name, value] of Object.entries(script.dataset)) module.dataset[name] = value
  // A page with a strict CSP gave this script its nonce: the module needs it too.
  if (script.nonce) module.nonce = script.nonce
  script.after(module)
})()
