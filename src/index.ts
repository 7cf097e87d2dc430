/** The chat-widget Web SDK: a visitor's live-chat connection, for browsers and Node. */

export { type BackoffOptions, backoffDelay } from './client/backoff.ts'
export { Emitter, type EventMap, type Listener, type Unsubscribe } from './client/emitter.ts'
export type { ConnectionState, VisitorClientEvents } from './client/events.ts'
export {
  LOCATION_CHANGE_EVENT,
  type Page,
  type PageEnvironment,
  PageTracker,
} from './client/page-tracker.ts'
export { SocketError, type SocketErrorOptions } from './client/socket-error.ts'
export { fetchAccountStatus } from './client/status.ts'
export { postFile, type UploadFile, type UploadOptions } from './client/upload.ts'
export {
  type ConnectionOptions,
  createVisitorClient,
  DEFAULT_SOCKET_OPTIONS,
  type SocketIoOptions,
  VisitorClient,
  type VisitorClientOptions,
} from './client/visitor-client.ts'
export type * from './protocol.ts'
