import { safeStorage } from 'electron'
import type { SecretBox } from '../core/platform/central/secret-box'
import { keyFileSecretBox } from '../core/platform/central/secret-box'

/**
 * The OS keychain through Electron's safeStorage. Where the OS offers none
 * (Linux without a secret service) it falls back to the key file, and says so.
 */
export function safeStorageSecretBox(dataDir: string): SecretBox {
  const fallback = keyFileSecretBox(dataDir)
  if (!safeStorage.isEncryptionAvailable()) return fallback
  const backend = process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : 'os'
  if (backend === 'basic_text') {
    return {
      ...fallback,
      describe: () => ({
        storage: 'basic-text',
        note: `This system has no keychain Electron can use (backend basic_text), so the password is sealed with the key file in ${dataDir} instead. Install a secret service (GNOME Keyring or KWallet) for OS protection.`,
      }),
    }
  }
  return {
    describe: () => ({ storage: 'os-keychain', note: null }),
    encrypt: (plain) => `ss1:${safeStorage.encryptString(plain).toString('base64')}`,
    decrypt: (sealed) => {
      if (!sealed.startsWith('ss1:')) return fallback.decrypt(sealed)
      return safeStorage.decryptString(Buffer.from(sealed.slice(4), 'base64'))
    },
  }
}
