/** Entry of the agent console page (`/console`). */
import './console-app.ts'
