import { css } from 'lit'

export default css`
  :host {
    display: flex;
    flex-direction: column;
    position: relative;
    min-height: 0;
    background: var(--_surface);
    --_avatar-size: 28px;
  }

  .scroller {
    flex: 1;
    min-height: 0;
    overflow-y: auto;
    overscroll-behavior: contain;
    scrollbar-width: thin;
    scrollbar-color: var(--_border) transparent;
  }

  .scroller:focus-visible {
    outline-offset: -2px;
  }

  .content {
    display: flex;
    flex-direction: column;
    gap: 14px;
    padding: 16px 14px 12px;
  }

  .loading {
    display: grid;
    place-items: center;
    padding: 4px;
  }

  .spinner {
    width: 20px;
    height: 20px;
    border: 2px solid var(--_border);
    border-top-color: var(--_accent);
    border-radius: 50%;
    animation: spin 800ms linear infinite;
  }

  @keyframes spin {
    to {
      transform: rotate(1turn);
    }
  }

  .greeting {
    align-self: flex-start;
    max-width: 85%;
    margin: 0;
    padding: 10px 14px;
    border-radius: var(--_radius);
    border-end-start-radius: 4px;
    background: var(--_surface-muted);
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }

  /* Groups */

  .group {
    display: flex;
    gap: 8px;
  }

  .group--agent {
    align-items: flex-end;
    padding-inline-end: 15%;
  }

  .group--contact {
    flex-direction: column;
    align-items: flex-end;
    gap: 3px;
    padding-inline-start: 15%;
  }

  .stack {
    display: flex;
    flex-direction: column;
    align-items: flex-start;
    gap: 3px;
    min-width: 0;
  }

  .sender {
    display: flex;
    align-items: baseline;
    gap: 6px;
    margin: 0 4px 1px;
    color: var(--_text-muted);
    font-size: 0.8em;
  }

  .name {
    font-weight: 600;
  }

  time {
    font-variant-numeric: tabular-nums;
  }

  /* Bubbles */

  .bubble {
    max-width: 100%;
    padding: 9px 13px;
    border-radius: var(--_radius);
    overflow-wrap: anywhere;
  }

  /* Only messages that just arrived, not a restored chat or older ones scrolled into view. */
  .bubble.fresh {
    animation: appear 180ms ease-out;
  }

  @keyframes appear {
    from {
      opacity: 0;
      transform: translateY(6px);
    }
  }

  .group--agent .bubble {
    background: var(--_surface-muted);
    color: var(--_text);
    border-start-start-radius: 6px;
    border-end-start-radius: 6px;
  }

  .group--agent .stack > .bubble:nth-child(2) {
    border-start-start-radius: var(--_radius);
  }

  .group--agent .bubble:last-child {
    border-end-start-radius: 4px;
  }

  .group--contact .bubble {
    background: var(--_accent);
    color: var(--_accent-contrast);
    border-start-end-radius: 6px;
    border-end-end-radius: 6px;
  }

  .group--contact .sender + .row .bubble {
    border-start-end-radius: var(--_radius);
  }

  .group--contact .row:nth-last-child(1 of .row) .bubble {
    border-end-end-radius: 4px;
  }

  .row {
    display: flex;
    flex-direction: row-reverse;
    align-items: flex-end;
    gap: 4px;
    max-width: 100%;
  }

  .row[data-state='failed'] .bubble {
    background: color-mix(in srgb, var(--_danger) 10%, var(--_surface));
    color: var(--_text);
    box-shadow: inset 0 0 0 1px var(--_danger);
  }

  .text {
    margin: 0;
    white-space: pre-wrap;
  }

  .text a {
    color: inherit;
    text-decoration: underline;
    text-underline-offset: 2px;
  }

  /* Attachments */

  .image {
    display: block;
    max-width: 100%;
    margin: 2px -6px;
    padding: 0;
    border: none;
    border-radius: calc(var(--_radius) - 6px);
    background: none;
    cursor: zoom-in;
    /* A tiny picture (an icon, a 2 px pixel) is still a button to tap: the image fills it. */
    min-width: 44px;
    min-height: 44px;
  }

  .text + .image,
  .text + .file {
    margin-top: 8px;
  }

  .image img {
    display: block;
    max-width: 100%;
    height: auto;
    max-height: 240px;
    min-width: 44px;
    min-height: 44px;
    border-radius: calc(var(--_radius) - 6px);
    object-fit: cover;
    background: color-mix(in srgb, currentColor 10%, transparent);
  }

  .file {
    position: relative;
    display: flex;
    align-items: center;
    gap: 10px;
    min-width: 0;
    max-width: 260px;
    color: inherit;
    text-decoration: none;
  }

  .image + .image,
  .image + .file,
  .file + .file,
  .file + .image {
    margin-top: 6px;
  }

  .file-text,
  .upload-body {
    display: flex;
    flex-direction: column;
    min-width: 0;
  }

  .file-icon {
    position: relative;
    flex: none;
    display: grid;
    place-items: center;
    width: 32px;
    height: 32px;
  }

  .file-icon svg {
    grid-area: 1 / 1;
  }

  .file-kind {
    grid-area: 1 / 1;
    margin-top: 6px;
    font-size: 8px;
    font-weight: 700;
    letter-spacing: 0.02em;
  }

  .file-name {
    overflow: hidden;
    font-weight: 600;
    text-overflow: ellipsis;
    white-space: nowrap;
  }

  a.file .file-name {
    text-decoration: underline;
    text-underline-offset: 2px;
  }

  .file-size {
    opacity: 0.85;
    font-size: 0.87em;
    font-variant-numeric: tabular-nums;
  }

  /* Uploads on their way */

  .upload {
    display: flex;
    align-items: center;
    gap: 10px;
    width: 240px;
    max-width: 100%;
  }

  .upload-body {
    flex: 1;
    gap: 2px;
  }

  .progress {
    position: relative;
    height: 4px;
    margin-top: 4px;
    overflow: hidden;
    border-radius: 2px;
    background: color-mix(in srgb, currentColor 25%, transparent);
  }

  .progress .bar {
    position: absolute;
    inset-block: 0;
    inset-inline: 0 auto;
    border-radius: inherit;
    background: currentColor;
    transition: width 200ms ease;
  }

  .progress[data-indeterminate] .bar {
    animation: slide 1.2s ease-in-out infinite;
  }

  @keyframes slide {
    from {
      inset-inline-start: -30%;
    }
    to {
      inset-inline-start: 100%;
    }
  }

  .cancel {
    flex: none;
    display: grid;
    place-items: center;
    width: 28px;
    height: 28px;
    padding: 0;
    border: none;
    border-radius: 50%;
    background: color-mix(in srgb, currentColor 16%, transparent);
  }

  .cancel:hover {
    background: color-mix(in srgb, currentColor 28%, transparent);
  }

  .cancel:focus-visible {
    outline-color: currentColor;
  }

  /* Delivery */

  .mark {
    flex: none;
    display: grid;
    width: 16px;
    height: 16px;
    margin-bottom: 2px;
    color: var(--_text-muted);
  }

  .mark[data-state='seen'] {
    color: var(--_accent);
  }

  .mark[data-state='failed'] {
    color: var(--_danger);
  }

  .failed {
    display: flex;
    flex-wrap: wrap;
    justify-content: flex-end;
    align-items: center;
    gap: 6px;
    color: var(--_danger);
    font-size: 0.8em;
  }

  .failed button {
    padding: 2px 6px;
    border: none;
    border-radius: 6px;
    background: none;
    color: var(--_danger);
    font-weight: 600;
    text-decoration: underline;
  }

  .failed button:hover {
    background: color-mix(in srgb, var(--_danger) 10%, transparent);
  }

  /* System lines */

  .system {
    display: flex;
    flex-wrap: wrap;
    justify-content: center;
    align-items: baseline;
    gap: 2px 6px;
    align-self: center;
    max-width: 90%;
    margin: 2px 0;
    padding: 4px 12px;
    border-radius: 999px;
    background: var(--_surface-muted);
    color: var(--_text-muted);
    font-size: 0.8em;
    text-align: center;
  }

  /* New messages pill */

  .pill {
    position: absolute;
    bottom: 12px;
    left: 50%;
    display: inline-flex;
    align-items: center;
    gap: 6px;
    padding: 7px 14px;
    border: none;
    border-radius: 999px;
    background: var(--_accent);
    color: var(--_accent-contrast);
    box-shadow: var(--_shadow);
    font-size: 0.87em;
    font-weight: 600;
    transform: translateX(-50%);
    animation: rise 180ms ease-out;
  }

  @keyframes rise {
    from {
      opacity: 0;
      transform: translate(-50%, 8px);
    }
  }
`
