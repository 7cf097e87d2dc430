import { css } from 'lit'

export default css`
  :host {
    display: block;
    --_avatar-size: 40px;
  }

  [part='header'] {
    position: relative;
    display: flex;
    align-items: center;
    gap: 12px;
    min-height: 64px;
    padding: 12px 8px 12px 16px;
    background: var(--_accent);
    color: var(--_accent-contrast);
  }

  .menu-wrap {
    position: relative;
    flex: none;
    margin-inline-end: -4px;
  }

  .menu {
    position: absolute;
    top: calc(100% + 4px);
    inset-inline-end: 0;
    z-index: 3;
    display: flex;
    flex-direction: column;
    min-width: 180px;
    padding: 6px;
    border: 1px solid var(--_border);
    border-radius: 12px;
    background: var(--_surface);
    color: var(--_text);
    box-shadow: var(--_shadow);
    animation: drop 120ms ease-out;
  }

  @keyframes drop {
    from {
      opacity: 0;
      transform: translateY(-4px);
    }
  }

  [role='menuitem'] {
    padding: 9px 12px;
    border: none;
    border-radius: 8px;
    background: none;
    text-align: start;
    white-space: nowrap;
  }

  [role='menuitem']:hover,
  [role='menuitem']:focus {
    outline: none;
    background: var(--_surface-muted);
  }

  [role='menuitem']:focus-visible {
    box-shadow: inset 0 0 0 2px var(--_focus-ring);
  }

  .avatar {
    box-shadow: 0 0 0 2px color-mix(in srgb, var(--_accent-contrast) 70%, transparent);
  }

  .text {
    flex: 1;
    min-width: 0;
  }

  .title {
    margin: 0;
    overflow: hidden;
    font-size: 1.07em;
    font-weight: 650;
    line-height: 1.3;
    white-space: nowrap;
    text-overflow: ellipsis;
  }

  .status {
    display: flex;
    align-items: center;
    gap: 6px;
    margin: 2px 0 0;
    font-size: 0.87em;
    opacity: 0.92;
  }

  .dot {
    flex: none;
    width: 8px;
    height: 8px;
    border-radius: 50%;
    background: var(--_text-muted);
    box-shadow: 0 0 0 2px color-mix(in srgb, var(--_accent-contrast) 80%, transparent);
  }

  :host([status='online']) .dot {
    background: var(--_success);
  }

  :host([status='offline']) .dot,
  :host([status='away']) .dot {
    background: var(--_text-muted);
  }

  :host([status='connecting']) .dot,
  :host([status='reconnecting']) .dot {
    background: var(--_warning);
    animation: pulse 1.2s ease-in-out infinite;
  }

  @keyframes pulse {
    50% {
      opacity: 0.35;
    }
  }

  .icon-button {
    flex: none;
    display: grid;
    place-items: center;
    width: 40px;
    height: 40px;
    padding: 0;
    border: none;
    border-radius: 50%;
    background: transparent;
    transition: background-color 120ms ease;
  }

  .icon-button:hover,
  .icon-button[aria-expanded='true'] {
    background: color-mix(in srgb, var(--_accent-contrast) 16%, transparent);
  }

  .icon-button:focus-visible {
    outline-color: var(--_accent-contrast);
    outline-offset: -2px;
  }
`
