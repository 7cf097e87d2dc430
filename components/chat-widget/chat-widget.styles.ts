import { css } from 'lit'

/*
 * The host is placed in a corner of the window: \`position\` names a physical corner, so its
 * left/right stay physical (the panel inside follows the language's direction).
 */
export default css`
  :host {
    --_offset-x: var(--chat-widget-offset-x, 20px);
    --_offset-y: var(--chat-widget-offset-y, 20px);
    position: fixed;
    z-index: var(--_z-index);
    right: var(--_offset-x);
    bottom: calc(var(--_offset-y) + env(safe-area-inset-bottom, 0px));
    display: flex;
    flex-direction: column;
    align-items: flex-end;
    gap: 16px;
  }

  :host([position='bottom-left']) {
    right: auto;
    left: var(--_offset-x);
    align-items: flex-start;
  }

  .panel {
    display: flex;
    flex-direction: column;
    width: min(var(--_width), calc(100vw - 2 * var(--_offset-x)));
    height: min(var(--_height), calc(var(--_viewport-height, 100vh) - var(--_offset-y) - 96px));
    overflow: hidden;
    background: var(--_surface);
    border-radius: var(--_radius);
    box-shadow: var(--_shadow);
    transform-origin: bottom right;
    animation: panel-in 160ms ease-out;
    /* Its inside adapts to its height (panel.styles.ts): a keyboard may squeeze it. */
    container: panel / size;
  }

  :host([position='bottom-left']) .panel {
    transform-origin: bottom left;
  }

  /* Inline: part of the page, always open, sized by its container. */
  :host([mode='inline']) {
    position: relative;
    inset: auto;
    z-index: auto;
    display: flex;
    height: var(--_height);
  }

  :host([mode='inline']) .panel {
    flex: 1;
    width: 100%;
    height: 100%;
    box-shadow: none;
    border: 1px solid var(--_border);
    animation: none;
  }

  /* The proactive greeting: a bubble above the launcher. */
  .proactive {
    display: flex;
    align-items: flex-start;
    gap: 4px;
    max-width: min(280px, calc(100vw - 2 * var(--_offset-x)));
    padding: 6px;
    background: var(--_surface);
    color: var(--_text);
    border-radius: var(--_radius);
    box-shadow: var(--_shadow);
    animation: panel-in 160ms ease-out;
  }

  .proactive button {
    border: 0;
    background: none;
    border-radius: calc(var(--_radius) - 6px);
  }

  .proactive-text {
    padding: 8px 10px;
    text-align: start;
  }

  .proactive-dismiss {
    flex: none;
    display: grid;
    place-items: center;
    width: 28px;
    height: 28px;
    color: var(--_text-muted);
  }

  /*
   * Phones, upright or sideways (and windows as short): the open panel takes the whole screen.
   * Floating, it would keep the launcher's 116 px below it, and next to nothing above a keyboard.
   */
  @media (max-width: 480px), (max-height: 480px) {
    :host([open]:not([mode='inline'])) {
      inset: 0;
      gap: 0;
    }
    :host([open]:not([mode='inline'])) {
      /* Follow the visual viewport: the on-screen keyboard shrinks it (see viewport.ts). */
      top: var(--_viewport-top, 0px);
      bottom: auto;
    }
    :host([open]:not([mode='inline'])) .panel {
      width: 100vw;
      height: var(--_viewport-height, 100dvh);
      border-radius: 0;
      /* Notches and home indicators: the panel's surface reaches the edges, its content not. */
      padding: env(safe-area-inset-top, 0px) env(safe-area-inset-right, 0px)
        env(safe-area-inset-bottom, 0px) env(safe-area-inset-left, 0px);
    }
    :host([open]:not([mode='inline'])) chat-widget-launcher {
      display: none;
    }
  }

  @keyframes panel-in {
    from {
      opacity: 0;
      transform: translateY(8px) scale(0.98);
    }
  }

  @media (prefers-reduced-motion: reduce) {
    .panel,
    .proactive {
      animation: none;
    }
  }
`
