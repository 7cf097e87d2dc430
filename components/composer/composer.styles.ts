import { css } from 'lit'

export default css`
  :host {
    display: block;
  }

  .notice {
    display: flex;
    align-items: flex-start;
    gap: 8px;
    padding: 8px 8px 8px 12px;
    border-top: 1px solid var(--_border);
    border-inline-start: 3px solid var(--_danger);
    background: color-mix(in srgb, var(--_danger) 8%, var(--_surface));
    color: var(--_text);
    font-size: 0.87em;
    animation: appear 160ms ease-out;
  }

  @keyframes appear {
    from {
      opacity: 0;
      transform: translateY(4px);
    }
  }

  .notice-text {
    flex: 1;
    min-width: 0;
    margin: 2px 0;
    overflow-wrap: anywhere;
  }

  .counter {
    display: flex;
    justify-content: flex-end;
    gap: 8px;
    margin: 0;
    padding: 6px 16px 0;
    color: var(--_text-muted);
    font-size: 0.8em;
    font-variant-numeric: tabular-nums;
  }

  .counter.over {
    color: var(--_danger);
    font-weight: 600;
  }

  [part='notice-dismiss'] {
    flex: none;
    display: grid;
    place-items: center;
    width: 28px;
    height: 28px;
    padding: 0;
    border: none;
    border-radius: 50%;
    background: none;
    color: var(--_text-muted);
  }

  [part='notice-dismiss']:hover {
    background: color-mix(in srgb, var(--_text) 8%, transparent);
  }

  [part='attach-button'] {
    flex: none;
    display: grid;
    place-items: center;
    width: 36px;
    height: 42px;
    margin-inline-end: -4px;
    padding: 0;
    border: none;
    border-radius: 50%;
    background: none;
    color: var(--_text-muted);
    transition: color 120ms ease;
  }

  [part='attach-button']:not(:disabled):hover {
    color: var(--_accent);
  }

  [part='attach-button']:disabled {
    opacity: 0.5;
  }

  .composer {
    display: flex;
    align-items: flex-end;
    gap: 8px;
    padding: 10px 10px 10px 8px;
    border-top: 1px solid var(--_border);
    background: var(--_surface);
  }

  :host([no-attach]) .composer {
    padding-inline-start: 14px;
  }

  textarea {
    flex: 1;
    min-width: 0;
    /* One line tall at rest; grows with the text up to about six lines, then scrolls. */
    min-height: 42px;
    max-height: 148px;
    margin: 0;
    padding: 10px 14px;
    border: 1px solid var(--_border);
    border-radius: 21px;
    background: var(--_surface);
    color: var(--_text);
    font-family: inherit;
    /* 16px or more: iOS Safari does not zoom the page into the field. */
    font-size: 16px;
    line-height: 1.35;
    resize: none;
    overflow-y: auto;
    transition:
      border-color 120ms ease,
      box-shadow 120ms ease;
  }

  /* Where the browser fits the field to its text itself, the script leaves it be: no layout
     forced at each keystroke, nor when the panel opens. */
  @supports (field-sizing: content) {
    textarea {
      field-sizing: content;
    }
  }

  textarea::placeholder {
    color: var(--_text-muted);
    opacity: 1;
  }

  textarea:focus {
    outline: none;
    border-color: var(--_accent);
    box-shadow: 0 0 0 3px color-mix(in srgb, var(--_accent) 20%, transparent);
  }

  textarea:disabled {
    background: var(--_surface-muted);
    cursor: not-allowed;
  }

  [part='send-button'] {
    flex: none;
    display: grid;
    place-items: center;
    width: 42px;
    height: 42px;
    padding: 0;
    border: none;
    border-radius: 50%;
    background: var(--_accent);
    color: var(--_accent-contrast);
    transition:
      opacity 120ms ease,
      transform 120ms ease;
  }

  [part='send-button']:not(:disabled):hover {
    transform: scale(1.05);
  }

  [part='send-button']:not(:disabled):active {
    transform: scale(0.95);
  }

  [part='send-button']:disabled {
    background: var(--_surface-muted);
    color: var(--_text-muted);
  }

  /* Right to left, the paper plane points the way the text goes. */
  :host(:dir(rtl)) [part='send-button'] svg {
    transform: scaleX(-1);
  }
`
