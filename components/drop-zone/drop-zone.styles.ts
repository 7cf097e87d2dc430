import { css } from 'lit'

export default css`
  :host {
    display: block;
    position: relative;
  }

  .overlay {
    position: absolute;
    inset: 6px;
    z-index: 2;
    display: flex;
    flex-direction: column;
    align-items: center;
    justify-content: center;
    gap: 8px;
    border: 2px dashed var(--_accent);
    border-radius: var(--_radius);
    background: color-mix(in srgb, var(--_accent) 8%, var(--_surface));
    color: var(--_accent);
    font-weight: 600;
    text-align: center;
    /* The drag goes on to the content below: the overlay is a picture, never the target. */
    pointer-events: none;
    animation: fade 120ms ease-out;
  }

  .overlay p {
    margin: 0;
  }

  @keyframes fade {
    from {
      opacity: 0;
    }
  }
`
