import { css } from 'lit'

export default css`
  :host {
    display: block;
  }

  .bubble {
    display: inline-flex;
    align-items: center;
    gap: 4px;
    height: 34px;
    padding: 0 14px;
    border-radius: var(--_radius);
    border-end-start-radius: 4px;
    background: var(--_surface-muted);
  }

  .dot {
    width: 7px;
    height: 7px;
    border-radius: 50%;
    background: var(--_text-muted);
    opacity: 0.5;
    animation: bounce 1.2s ease-in-out infinite;
  }

  .dot:nth-child(2) {
    animation-delay: 0.15s;
  }

  .dot:nth-child(3) {
    animation-delay: 0.3s;
  }

  @keyframes bounce {
    0%,
    60%,
    100% {
      transform: translateY(0);
      opacity: 0.5;
    }
    30% {
      transform: translateY(-4px);
      opacity: 1;
    }
  }

  /* Still dots, in three shades, rather than movement. */
  @media (prefers-reduced-motion: reduce) {
    .dot {
      animation: none !important;
    }

    .dot:nth-child(2) {
      opacity: 0.7;
    }

    .dot:nth-child(3) {
      opacity: 0.9;
    }
  }
`
