import { css } from 'lit'

export default css`
  :host {
    display: block;
  }

  .form {
    display: flex;
    flex-direction: column;
    gap: 14px;
    padding: 16px;
  }

  .intro {
    margin: 0;
    color: var(--_text);
  }
`
