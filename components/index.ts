/**
 * The widget's presentational parts. Importing this module defines all their tags; import a
 * component's `x.component.ts` for its class alone.
 */
export * from './chat-ended/chat-ended.ts'
export * from './composer/composer.ts'
export * from './drop-zone/drop-zone.ts'
export * from './header/header.ts'
export * from './launcher/launcher.ts'
export * from './lightbox/lightbox.ts'
export * from './message-list/message-list.ts'
export * from './offline-form/offline-form.ts'
export * from './shared/events.ts'
export * from './typing-indicator/typing-indicator.ts'
