import { css } from 'lit'

/** Styles of `avatar()`; size it with `--_avatar-size` on an ancestor. */
export default css`
  .avatar {
    flex: none;
    display: inline-grid;
    place-items: center;
    width: var(--_avatar-size, 32px);
    height: var(--_avatar-size, 32px);
    border-radius: 50%;
    object-fit: cover;
    background: var(--_surface-muted);
  }

  .avatar--initials {
    background: var(--_accent);
    color: var(--_accent-contrast);
    font-size: calc(var(--_avatar-size, 32px) * 0.4);
    font-weight: 600;
    letter-spacing: 0.02em;
    user-select: none;
  }
`
