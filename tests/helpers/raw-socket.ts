import { connect, type Socket } from 'node:net'

/** Sends raw bytes to a port and collects whatever comes back until the server closes or goes quiet. */
export function rawExchange(port: number, bytes: Buffer | string, quietMs = 500): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    let reply = ''
    let timer: NodeJS.Timeout | undefined
    const finish = () => {
      clearTimeout(timer)
      socket.destroy()
      resolve(reply)
    }
    const arm = () => {
      clearTimeout(timer)
      timer = setTimeout(finish, quietMs)
    }
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString('latin1')
      arm()
    })
    socket.on('error', finish)
    socket.on('close', finish)
    socket.on('connect', () => {
      socket.write(bytes)
      arm()
    })
  })
}

/** An authenticated WebSocket handshake over a plain TCP socket, for sending frames no client library would. */
export function rawWebSocket(port: number, cookie: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(
        [
          'GET /api HTTP/1.1',
          `Host: 127.0.0.1:${port}`,
          'Upgrade: websocket',
          'Connection: Upgrade',
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
          'Sec-WebSocket-Version: 13',
          `Origin: http://127.0.0.1:${port}`,
          `Cookie: ${cookie}`,
          '',
          '',
        ].join('\r\n'),
      )
    })
    let head = ''
    const onData = (chunk: Buffer) => {
      head += chunk.toString('latin1')
      if (!head.includes('\r\n\r\n')) return
      socket.off('data', onData)
      if (head.startsWith('HTTP/1.1 101')) resolve(socket)
      else reject(new Error(`handshake refused: ${head.split('\r\n')[0]}`))
    }
    socket.on('data', onData)
    socket.on('error', reject)
  })
}

/** A client frame as RFC 6455 wants it: FIN, the opcode, the mask bit and a masking key. */
export function maskedFrame(opcode: number, payload: Buffer, fin = true): Buffer {
  const mask = Buffer.from([0x12, 0x34, 0x56, 0x78])
  const length = payload.length
  const header =
    length < 126
      ? Buffer.from([(fin ? 0x80 : 0) | opcode, 0x80 | length])
      : length < 65536
        ? Buffer.alloc(4)
        : Buffer.alloc(10)
  if (length >= 126 && length < 65536) {
    header[0] = (fin ? 0x80 : 0) | opcode
    header[1] = 0x80 | 126
    header.writeUInt16BE(length, 2)
  } else if (length >= 65536) {
    header[0] = (fin ? 0x80 : 0) | opcode
    header[1] = 0x80 | 127
    header.writeBigUInt64BE(BigInt(length), 2)
  }
  const masked = Buffer.from(payload.map((byte, index) => byte ^ mask[index % 4]!))
  return Buffer.concat([header, mask, masked])
}
