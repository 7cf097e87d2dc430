import { defaultChatEndedStrings } from '../chat-ended/chat-ended.strings.ts'
import { defaultComposerStrings } from '../composer/composer.component.ts'
import { defaultDropZoneStrings } from '../drop-zone/drop-zone.component.ts'
import { defaultHeaderStrings } from '../header/header.component.ts'
import { defaultLauncherStrings } from '../launcher/launcher.component.ts'
import { defaultLightboxStrings } from '../lightbox/lightbox.strings.ts'
import { defaultMessageListStrings } from '../message-list/message-list.component.ts'
import { defaultOfflineFormStrings } from '../offline-form/offline-form.strings.ts'
import { defaultTypingIndicatorStrings } from '../typing-indicator/typing-indicator.component.ts'
import { enRoot } from './en-root.ts'
import type { WidgetStrings } from './strings.ts'

/** English: the components' own defaults, gathered. Always bundled; the fallback of every key. */
const en: WidgetStrings = {
  widget: enRoot,
  launcher: defaultLauncherStrings,
  header: defaultHeaderStrings,
  messageList: defaultMessageListStrings,
  lightbox: defaultLightboxStrings,
  typingIndicator: defaultTypingIndicatorStrings,
  composer: defaultComposerStrings,
  dropZone: defaultDropZoneStrings,
  offlineForm: defaultOfflineFormStrings,
  chatEnded: defaultChatEndedStrings,
}

export default en
