/** Flags for headless Chromium on a closed network. */
export declare const CHROMIUM_ARGS: string[]
/** Path of a Chromium executable, or `undefined` to let Playwright use its default. */
export declare function findChromium(options?: { install?: boolean }): Promise<string | undefined>
