'use strict'
// Where the Electron binary is, and whether this machine can show a window.
const { existsSync } = require('node:fs')

function electronBinary() {
  try {
    const path = require('electron')
    return typeof path === 'string' && existsSync(path) ? path : null
  } catch {
    return null
  }
}

function displayAvailable(env = process.env, platform = process.platform) {
  if (platform !== 'linux' && platform !== 'freebsd' && platform !== 'openbsd') return true
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY)
}

module.exports = { electronBinary, displayAvailable }
