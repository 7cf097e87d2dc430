import { css } from 'lit'

/** The inside of the open panel: loaded with it, added to the element's styles (chat-panel.ts). */
export default css`
  chat-widget-drop-zone {
    flex: 1;
    min-height: 0;
    display: flex;
    flex-direction: column;
  }

  /* The list takes what is left, but keeps a few lines visible under a tall form. */
  chat-widget-message-list {
    flex: 1 1 0;
    min-height: 96px;
  }

  /* A panel squeezed by a phone's keyboard (sideways, 200 px): the list gives way, not the input. */
  @container panel (max-height: 320px) {
    chat-widget-message-list {
      min-height: 48px;
    }
  }

  /* Under the last message, inset like the messages (nothing while nobody types). */
  chat-widget-typing-indicator[typing] {
    padding: 0 14px 10px;
  }

  /* Forms that replace the composer: their own height, scrolling when the panel is short. */
  chat-widget-offline-form,
  chat-widget-chat-ended {
    display: block;
    flex: 0 1 auto;
    min-height: 0;
    overflow-y: auto;
  }

  .consent {
    flex: 1;
    display: flex;
    flex-direction: column;
    justify-content: center;
    gap: 16px;
    padding: 24px;
    color: var(--_text);
  }

  .consent p {
    margin: 0;
  }

  .primary {
    align-self: flex-start;
    padding: 10px 18px;
    border: 0;
    border-radius: 999px;
    background: var(--_accent);
    color: var(--_accent-contrast);
    font-weight: 600;
  }

  .primary:hover {
    filter: brightness(1.08);
  }

  .error {
    flex: 1;
    margin: 0;
    padding: 24px;
    color: var(--_text);
  }
`
