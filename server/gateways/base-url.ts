/** `http(s)://host` as the client reached us: upload and file URLs must work from there. */
import type { Socket } from 'socket.io'

export function baseUrlOf(socket: Socket): string {
  const proto = socket.handshake.secure ? 'https' : 'http'
  return `${proto}://${socket.handshake.headers.host ?? 'localhost'}`
}
