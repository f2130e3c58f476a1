import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { closeSync, existsSync, fchmodSync, openSync, readFileSync, statSync, writeSync } from 'node:fs'
import { join } from 'node:path'

/** Encrypts secrets before they reach the disk; the plain text never leaves the main process. */
export interface SecretBox {
  /** Where the key lives, in words the Settings page shows. */
  describe(): { storage: 'os-keychain' | 'basic-text' | 'key-file'; note: string | null }
  encrypt(plain: string): string
  decrypt(sealed: string): string
}

export const SECRET_KEY_FILE = 'secret.key'

function loadOrCreateKey(dataDir: string): Buffer {
  const path = join(dataDir, SECRET_KEY_FILE)
  if (!existsSync(path)) {
    // Created with owner-only permissions from the first byte; 'wx' never overwrites a key another process just made.
    try {
      const fd = openSync(path, 'wx', 0o600)
      try {
        fchmodSync(fd, 0o600)
        writeSync(fd, randomBytes(32))
      } finally {
        closeSync(fd)
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
  }
  const key = readFileSync(path)
  if (key.length !== 32)
    throw new Error(
      `${path} is not a Tradedeck key (${key.length} bytes); saved passwords cannot be read. Remove it and enter them again.`,
    )
  return key
}

/**
 * AES-256-GCM with a key in a file in the data directory that only this OS
 * user may read: for browser mode and the CLI, which have no OS keychain.
 */
export function keyFileSecretBox(dataDir: string): SecretBox {
  let key: Buffer | null = null
  const keyOf = () => (key ??= loadOrCreateKey(dataDir))
  return {
    describe() {
      const path = join(dataDir, SECRET_KEY_FILE)
      const shared = existsSync(path) && process.platform !== 'win32' && (statSync(path).mode & 0o077) !== 0
      return {
        storage: 'key-file',
        note: `Encrypted with a key in ${path}, readable only by your OS user${shared ? ' (warning: other users can read it now; run chmod 600 on it)' : ''}. Anyone who can read both that file and the database can read the password.`,
      }
    },
    encrypt(plain) {
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', keyOf(), iv)
      const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
      return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), sealed.toString('base64')].join(':')
    },
    decrypt(sealed) {
      const [version, iv, tag, data] = sealed.split(':')
      if (version !== 'v1' || !iv || !tag || data === undefined)
        throw new Error('The saved password is not in a format this version can read; enter it again.')
      const decipher = createDecipheriv('aes-256-gcm', keyOf(), Buffer.from(iv, 'base64'))
      decipher.setAuthTag(Buffer.from(tag, 'base64'))
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]).toString('utf8')
    },
  }
}
