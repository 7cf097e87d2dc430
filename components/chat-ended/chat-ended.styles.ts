import { css } from 'lit'

export default css`
  :host {
    display: block;
  }

  .ended {
    display: flex;
    flex-direction: column;
    gap: 12px;
    padding: 12px 14px 16px;
  }

  .title {
    margin: 0;
    color: var(--_text-muted);
    font-size: 0.87em;
    text-align: center;
  }

  .card {
    display: flex;
    flex-direction: column;
    gap: 10px;
    padding: 12px;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
  }

  fieldset {
    margin: 0;
    padding: 0;
    border: none;
  }

  legend {
    padding: 0;
    margin-bottom: 6px;
  }

  .options {
    display: flex;
    gap: 2px;
  }

  .options--thumbs {
    gap: 10px;
  }

  .option {
    display: grid;
    place-items: center;
    width: 40px;
    height: 40px;
    border-radius: 10px;
    color: var(--_text-muted);
    cursor: pointer;
    transition:
      color 100ms ease,
      transform 100ms ease;
  }

  .options--stars .option svg {
    fill: transparent;
  }

  .options--stars .option[data-on] {
    color: var(--_accent);
  }

  .options--stars .option[data-on] svg {
    fill: currentColor;
  }

  .options--thumbs .option {
    width: 48px;
    height: 44px;
    border: 1px solid var(--_border);
  }

  .options--thumbs .option[data-on] {
    border-color: var(--_accent);
    background: color-mix(in srgb, var(--_accent) 12%, var(--_surface));
    color: var(--_accent);
  }

  .option:hover {
    transform: scale(1.08);
  }

  .option:has(:focus-visible) {
    outline: 2px solid var(--_focus-ring);
    outline-offset: 1px;
  }

  .inline {
    display: flex;
    gap: 8px;
  }

  .inline input {
    flex: 1;
    min-width: 0;
  }

  .done {
    display: flex;
    flex-direction: column;
    gap: 2px;
  }

  .rated {
    color: var(--_text-muted);
    font-size: 0.93em;
  }
`
