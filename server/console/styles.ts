import { css } from 'lit'

/**
 * The sheet every console element starts from. Colours and sizes are the `--console-*`
 * tokens of `console.css`, so the whole console changes from one place.
 */
export const baseStyles = css`
  :host {
    box-sizing: border-box;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  button,
  select {
    font: inherit;
    color: inherit;
    cursor: pointer;
    border: 1px solid var(--console-border);
    background: var(--console-surface);
    border-radius: var(--console-radius);
    padding: 0.35rem 0.75rem;
  }
  button:hover:not(:disabled) {
    background: var(--console-hover);
  }
  button:disabled {
    cursor: default;
    opacity: 0.55;
  }
  button.primary {
    background: var(--console-accent);
    border-color: var(--console-accent);
    color: var(--console-on-accent);
  }
  button.primary:hover:not(:disabled) {
    background: var(--console-accent-strong);
  }
  :focus-visible {
    outline: 2px solid var(--console-focus);
    outline-offset: 2px;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`
