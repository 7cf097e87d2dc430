import { css } from 'lit'

/**
 * The sheet every component starts from: it stops the host page's inherited styles at the
 * shadow boundary, sets our font and box model, one focus ring, `[hidden]` that really hides,
 * and motion that stops for visitors who ask for less of it.
 */
export default css`
  :host {
    /* Inherited page styles (line-height, letter-spacing, text-align…) stop here; custom
       properties are not reset by 'all', so the --chat-widget-* tokens still come through. */
    all: initial;
    box-sizing: border-box;
    font-family: var(--_font-family);
    font-size: var(--_font-size);
    line-height: 1.45;
    color: var(--_text);
    -webkit-font-smoothing: antialiased;
    -webkit-tap-highlight-color: transparent;
  }

  /* 'all: initial' above would undo the user-agent rule for the hidden attribute. */
  :host([hidden]),
  [hidden] {
    display: none !important;
  }

  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }

  button {
    font: inherit;
    color: inherit;
    cursor: pointer;
  }

  button:disabled {
    cursor: default;
  }

  :focus-visible {
    outline: 2px solid var(--_focus-ring);
    outline-offset: 2px;
  }

  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    padding: 0;
    margin: -1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }

  @media (prefers-reduced-motion: reduce) {
    *,
    *::before,
    *::after {
      animation-duration: 0.01ms !important;
      animation-iteration-count: 1 !important;
      transition-duration: 0.01ms !important;
      scroll-behavior: auto !important;
    }
  }
`
