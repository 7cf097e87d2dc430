import { css } from 'lit'

export default css`
  :host {
    display: contents;
  }

  dialog {
    box-sizing: border-box;
    width: 100vw;
    height: 100dvh;
    max-width: none;
    max-height: none;
    margin: 0;
    padding: 56px 16px 16px;
    border: none;
    background: var(--_overlay);
    color: var(--_overlay-contrast);
    font-family: var(--_font-family);
    font-size: var(--_font-size);
    line-height: 1.45;
  }

  dialog[open] {
    display: flex;
    flex-direction: column;
    align-items: center;
    gap: 12px;
    animation: fade 140ms ease-out;
  }

  dialog::backdrop {
    background: transparent;
  }

  @keyframes fade {
    from {
      opacity: 0;
    }
  }

  .stage {
    flex: 1;
    min-height: 0;
    display: grid;
    place-items: center;
    width: 100%;
  }

  img {
    display: block;
    max-width: 100%;
    max-height: 100%;
    width: auto;
    height: auto;
    object-fit: contain;
    border-radius: 6px;
    background: var(--_surface);
  }

  .caption {
    display: flex;
    flex-wrap: wrap;
    justify-content: center;
    gap: 4px 14px;
    max-width: 100%;
    margin: 0;
    font-size: 0.93em;
  }

  .name {
    overflow-wrap: anywhere;
  }

  .caption a {
    color: inherit;
    font-weight: 600;
  }

  .close {
    position: absolute;
    top: 8px;
    inset-inline-end: 8px;
    display: grid;
    place-items: center;
    width: 44px;
    height: 44px;
    padding: 0;
    border: none;
    border-radius: 50%;
    background: color-mix(in srgb, var(--_overlay-contrast) 12%, transparent);
    color: var(--_overlay-contrast);
  }

  .close:hover {
    background: color-mix(in srgb, var(--_overlay-contrast) 24%, transparent);
  }

  .close:focus-visible {
    outline-color: var(--_overlay-contrast);
  }
`
