import { css } from 'lit'

/**
 * The widget's design tokens: the public `--chat-widget-*` custom properties a site owner sets
 * (on `chat-widget`, or any ancestor: custom properties inherit into shadow roots), each read
 * once here into a private `--_*` variable with its default. Component styles use only the
 * private names, so the public API is this one list (material-web's two layers of tokens).
 *
 * Colours: the defaults meet WCAG AA (4.5:1) for text on the surfaces they sit on.
 *
 * @cssproperty --chat-widget-accent - Brand colour: launcher, visitor bubbles, send button. Default `#4f46e5`.
 * @cssproperty --chat-widget-accent-contrast - Text and icons on the accent colour. Default `#ffffff`.
 * @cssproperty --chat-widget-font-family - Font stack. Default: the system UI font.
 * @cssproperty --chat-widget-font-size - Base font size of the widget's text. Default `15px`.
 * @cssproperty --chat-widget-radius - Corner radius of bubbles and panels. Default `16px`.
 * @cssproperty --chat-widget-z-index - Stacking order of the floating widget (root element only). Default `2147483000`.
 * @cssproperty --chat-widget-width - Width of the open chat panel (root element only). Default `380px`.
 * @cssproperty --chat-widget-height - Height of the open chat panel (root element only). Default `600px`.
 * @cssproperty --chat-widget-surface - Background of the panel and the composer. Default `#ffffff`.
 * @cssproperty --chat-widget-surface-muted - Background of agent bubbles and system lines. Default `#f1f3f7`.
 * @cssproperty --chat-widget-text - Main text colour. Default `#111827`.
 * @cssproperty --chat-widget-text-muted - Secondary text: times, names, hints. Default `#4b5563`.
 * @cssproperty --chat-widget-border - Hairlines and input borders. Default `#e2e5eb`.
 * @cssproperty --chat-widget-success - "Online" status dot. Default `#16a34a`.
 * @cssproperty --chat-widget-warning - "Connecting…" status dot. Default `#d97706`.
 * @cssproperty --chat-widget-danger - Unread badge and failed messages. Default `#dc2626`.
 * @cssproperty --chat-widget-shadow - Shadow of floating elements. Default: a soft two-layer shadow.
 * @cssproperty --chat-widget-overlay - Dimmed background behind the image lightbox. Default `rgb(15 23 42 / 0.9)`.
 * @cssproperty --chat-widget-focus-ring - Colour of the keyboard focus ring. Default: the accent colour.
 */
export default css`
  :host {
    --_accent: var(--chat-widget-accent, #4f46e5);
    --_accent-contrast: var(--chat-widget-accent-contrast, #ffffff);
    --_font-family: var(
      --chat-widget-font-family,
      system-ui,
      -apple-system,
      'Segoe UI',
      Roboto,
      'Helvetica Neue',
      Arial,
      sans-serif
    );
    --_font-size: var(--chat-widget-font-size, 15px);
    --_radius: var(--chat-widget-radius, 16px);
    --_z-index: var(--chat-widget-z-index, 2147483000);
    --_width: var(--chat-widget-width, 380px);
    --_height: var(--chat-widget-height, 600px);
    --_surface: var(--chat-widget-surface, #ffffff);
    --_surface-muted: var(--chat-widget-surface-muted, #f1f3f7);
    --_text: var(--chat-widget-text, #111827);
    --_text-muted: var(--chat-widget-text-muted, #4b5563);
    --_border: var(--chat-widget-border, #e2e5eb);
    --_success: var(--chat-widget-success, #16a34a);
    --_warning: var(--chat-widget-warning, #d97706);
    --_danger: var(--chat-widget-danger, #dc2626);
    --_shadow: var(
      --chat-widget-shadow,
      0 1px 2px rgb(15 23 42 / 0.08),
      0 8px 24px rgb(15 23 42 / 0.16)
    );
    --_overlay: var(--chat-widget-overlay, rgb(15 23 42 / 0.9));
    --_focus-ring: var(--chat-widget-focus-ring, var(--_accent));
  }
`
