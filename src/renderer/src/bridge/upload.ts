import { ApiError, type Envelope } from '../../../shared/errors'
import { errorForPage } from '../../../shared/error-words'
import { shownProfile } from './client'

/**
 * Browser mode streams a file to the server in one HTTP request: it may be far larger
 * than any WebSocket message. The session cookie authenticates it; the answer is the
 * core's envelope.
 */
export function uploadFile<T>(
  path: string,
  query: URLSearchParams,
  file: File,
  contentType: string,
  onProgress: (fraction: number) => void,
): Promise<T> {
  const profile = shownProfile()
  if (profile) query.set('profile', profile)
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', `${path}?${query}`)
    xhr.setRequestHeader('Content-Type', contentType)
    xhr.upload.onprogress = (event) => onProgress(event.lengthComputable ? event.loaded / event.total : 0)
    xhr.onerror = () =>
      reject(new ApiError({ code: 'unavailable', message: 'The upload was interrupted; nothing was imported.' }))
    xhr.onload = () => {
      let envelope: Envelope<T>
      try {
        envelope = JSON.parse(xhr.responseText) as Envelope<T>
      } catch {
        return reject(
          new ApiError({
            code: 'internal',
            message: `The upload was refused (${xhr.status}): ${xhr.responseText.slice(0, 200)}`,
          }),
        )
      }
      if (envelope.ok) resolve(envelope.value)
      else reject(new ApiError(errorForPage(envelope.error)))
    }
    xhr.send(file)
  })
}
