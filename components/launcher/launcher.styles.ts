import { css } from 'lit'

export default css`
  :host {
    display: inline-block;
    position: relative;
    width: 60px;
    height: 60px;
  }

  [part='launcher'] {
    display: grid;
    place-items: center;
    width: 100%;
    height: 100%;
    padding: 0;
    border: none;
    border-radius: 50%;
    background: var(--_accent);
    color: var(--_accent-contrast);
    box-shadow: var(--_shadow);
    transition:
      transform 160ms ease,
      box-shadow 160ms ease,
      filter 160ms ease;
  }

  [part='launcher']:hover {
    transform: scale(1.06);
    filter: brightness(1.06);
  }

  [part='launcher']:active {
    transform: scale(0.96);
  }

  [part='launcher']:focus-visible {
    outline-offset: 3px;
  }

  .icon {
    display: grid;
    place-items: center;
    animation: pop 200ms ease;
  }

  :host([open]) .icon {
    animation-name: turn;
  }

  @keyframes pop {
    from {
      transform: scale(0.6);
      opacity: 0;
    }
  }

  @keyframes turn {
    from {
      transform: rotate(-90deg) scale(0.6);
      opacity: 0;
    }
  }

  [part='unread-badge'] {
    position: absolute;
    top: -4px;
    inset-inline-end: -4px;
    display: grid;
    place-items: center;
    min-width: 22px;
    height: 22px;
    padding: 0 6px;
    border-radius: 11px;
    border: 2px solid var(--_surface);
    background: var(--_danger);
    color: var(--_surface);
    font-size: 12px;
    font-weight: 700;
    line-height: 1;
    font-variant-numeric: tabular-nums;
    pointer-events: none;
  }

  [part='status'] {
    position: absolute;
    bottom: 2px;
    inset-inline-end: 2px;
    width: 14px;
    height: 14px;
    border-radius: 50%;
    border: 2px solid var(--_surface);
    background: var(--_success);
    pointer-events: none;
  }
`
