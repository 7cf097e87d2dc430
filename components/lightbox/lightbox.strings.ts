// The English texts of the lightbox, apart from its element: the widget's built-in strings need
// them at once, the element loads only when shown.

/** Texts of the lightbox; set `strings` to translate. */
export interface LightboxStrings {
  close: string
  /** The link to the file itself, in a new tab. */
  openOriginal: string
}

export const defaultLightboxStrings: LightboxStrings = {
  close: 'Close',
  openOriginal: 'Open original',
}
