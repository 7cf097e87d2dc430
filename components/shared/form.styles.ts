import { css } from 'lit'

/**
 * Fields, inline errors and buttons of the widget's forms (offline form, end of chat). Inputs
 * are 16 px so iOS Safari does not zoom the page into them.
 */
export default css`
  .field {
    display: flex;
    flex-direction: column;
    gap: 4px;
  }

  label,
  .label {
    color: var(--_text);
    font-size: 0.87em;
    font-weight: 600;
  }

  .optional {
    color: var(--_text-muted);
    font-weight: 400;
  }

  input:not([type='radio']),
  textarea {
    width: 100%;
    margin: 0;
    padding: 9px 12px;
    border: 1px solid var(--_border);
    border-radius: 10px;
    background: var(--_surface);
    color: var(--_text);
    font-family: inherit;
    font-size: 16px;
    line-height: 1.35;
    transition:
      border-color 120ms ease,
      box-shadow 120ms ease;
  }

  textarea {
    min-height: 88px;
    resize: vertical;
  }

  input:not([type='radio']):focus,
  textarea:focus {
    outline: none;
    border-color: var(--_accent);
    box-shadow: 0 0 0 3px color-mix(in srgb, var(--_accent) 20%, transparent);
  }

  [aria-invalid='true'] {
    border-color: var(--_danger) !important;
  }

  [aria-invalid='true']:focus {
    box-shadow: 0 0 0 3px color-mix(in srgb, var(--_danger) 20%, transparent) !important;
  }

  input:read-only,
  textarea:read-only {
    background: var(--_surface-muted);
  }

  .error {
    display: flex;
    gap: 4px;
    margin: 0;
    color: var(--_danger);
    font-size: 0.87em;
  }

  .alert {
    margin: 0;
    padding: 8px 12px;
    border-inline-start: 3px solid var(--_danger);
    border-radius: 6px;
    background: color-mix(in srgb, var(--_danger) 8%, var(--_surface));
    color: var(--_text);
    font-size: 0.93em;
  }

  .primary,
  .secondary {
    padding: 10px 16px;
    border-radius: 10px;
    font-weight: 600;
    transition:
      background-color 120ms ease,
      opacity 120ms ease;
  }

  .primary {
    border: none;
    background: var(--_accent);
    color: var(--_accent-contrast);
  }

  .primary:disabled {
    opacity: 0.6;
  }

  .secondary {
    border: 1px solid var(--_border);
    background: var(--_surface);
    color: var(--_text);
  }

  .secondary:hover {
    background: var(--_surface-muted);
  }

  .done {
    margin: 0;
    padding: 10px 12px;
    border-radius: 10px;
    background: color-mix(in srgb, var(--_success) 10%, var(--_surface));
    color: var(--_text);
    overflow-wrap: anywhere;
  }

  .done:focus {
    outline: none;
  }
`
