// The custom elements manifest (`npm run manifest` → custom-elements.json): attributes,
// properties, methods, events, parts, slots and CSS custom properties of every element, read
// from the JSDoc headers of the component classes. Committed; a browser test checks README's
// tables against it (test/components/manifest.test.ts).
export default {
  globs: ['components/*/*.component.ts', 'components/*/*.ts'],
  exclude: ['**/*.test.ts'],
  outdir: '.',
  litelement: true,
  dependencies: false,
  packagejson: false,
}
