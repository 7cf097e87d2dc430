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
 * @cssproperty --chat-widget-accent-contrast - Text and icons on the accent colour. Default: white or near-black, whichever reads on the accent.
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
 * @cssproperty --chat-widget-overlay-contrast - Text and buttons on the lightbox's overlay. Default `#ffffff`.
 * @cssproperty --chat-widget-focus-ring - Colour of the keyboard focus ring. Default: the accent colour.
 *
 * Themes: the root element's `theme="dark"` (or `"auto"` when the system is dark) swaps the
 * defaults of the colour tokens for the dark palette below, through private `--_theme-*`
 * variables that inherit into every part. A `--chat-widget-*` colour the site sets wins in
 * both themes.
 */
export default css`
  :host {
    --_accent: var(--chat-widget-accent, var(--_theme-accent, #4f46e5));
    --_accent-contrast: var(--chat-widget-accent-contrast, var(--_theme-accent-contrast, #ffffff));
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
    --_surface: var(--chat-widget-surface, var(--_theme-surface, #ffffff));
    --_surface-muted: var(--chat-widget-surface-muted, var(--_theme-surface-muted, #f1f3f7));
    --_text: var(--chat-widget-text, var(--_theme-text, #111827));
    --_text-muted: var(--chat-widget-text-muted, var(--_theme-text-muted, #4b5563));
    --_border: var(--chat-widget-border, var(--_theme-border, #e2e5eb));
    --_success: var(--chat-widget-success, var(--_theme-success, #16a34a));
    --_warning: var(--chat-widget-warning, var(--_theme-warning, #d97706));
    --_danger: var(--chat-widget-danger, var(--_theme-danger, #dc2626));
    --_shadow: var(
      --chat-widget-shadow, var(--_theme-shadow,
      0 1px 2px rgb(15 23 42 / 0.08),
      0 8px 24px rgb(15 23 42 / 0.16)
    ));
    --_overlay: var(--chat-widget-overlay, var(--_theme-overlay, rgb(15 23 42 / 0.9)));
    --_overlay-contrast: var(--chat-widget-overlay-contrast, #ffffff);
    --_focus-ring: var(--chat-widget-focus-ring, var(--_accent));
  }

  /* Where the browser can compute it, text on the accent is black or white, whichever reads on
     the accent: one --chat-widget-accent re-brands the widget in both themes. */
  @supports (color: oklch(from red l c h)) {
    :host {
      --_accent-contrast: var(
        --chat-widget-accent-contrast,
        oklch(from var(--_accent) clamp(0, (0.66 - l) * 1000, 1) 0 0)
      );
    }
  }

  /* The dark palette (root element only; the parts inherit it). Text on surfaces: 4.5:1 or more. */
  :host([theme='dark']) {
    --_theme-accent: #a5b4fc;
    --_theme-accent-contrast: #111827;
    --_theme-surface: #161b26;
    --_theme-surface-muted: #262d3b;
    --_theme-text: #f3f4f6;
    --_theme-text-muted: #b4bcc8;
    --_theme-border: #3a4252;
    --_theme-success: #4ade80;
    --_theme-warning: #fbbf24;
    --_theme-danger: #fca5a5;
    --_theme-shadow: 0 1px 2px rgb(0 0 0 / 0.4), 0 8px 24px rgb(0 0 0 / 0.5);
    --_theme-overlay: rgb(0 0 0 / 0.9);
    color-scheme: dark;
  }

  @media (prefers-color-scheme: dark) {
    :host([theme='auto']) {
      --_theme-accent: #a5b4fc;
      --_theme-accent-contrast: #111827;
      --_theme-surface: #161b26;
      --_theme-surface-muted: #262d3b;
      --_theme-text: #f3f4f6;
      --_theme-text-muted: #b4bcc8;
      --_theme-border: #3a4252;
      --_theme-success: #4ade80;
      --_theme-warning: #fbbf24;
      --_theme-danger: #fca5a5;
      --_theme-shadow: 0 1px 2px rgb(0 0 0 / 0.4), 0 8px 24px rgb(0 0 0 / 0.5);
      --_theme-overlay: rgb(0 0 0 / 0.9);
      color-scheme: dark;
    }
  }
`
