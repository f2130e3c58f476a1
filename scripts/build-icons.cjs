'use strict'
// npm run icons: resources/icon.svg → the app icon in every format a package
// needs (PNG for Linux and the window, ICNS for macOS, ICO for Windows), and the
// favicon browser mode serves. The outputs are committed; run this after
// changing the SVG.
const { copyFileSync, mkdirSync, readFileSync, writeFileSync } = require('node:fs')
const { join } = require('node:path')
const { Resvg } = require('@resvg/resvg-js')
const png2icons = require('png2icons')

const root = join(__dirname, '..')
const resources = join(root, 'resources')
const svg = readFileSync(join(resources, 'icon.svg'))
const png = new Resvg(svg, { fitTo: { mode: 'width', value: 1024 } }).render().asPng()
writeFileSync(join(resources, 'icon.png'), png)
writeFileSync(join(resources, 'icon.icns'), png2icons.createICNS(png, png2icons.BICUBIC2, 0))
writeFileSync(join(resources, 'icon.ico'), png2icons.createICO(png, png2icons.BICUBIC2, 0, true, true))
mkdirSync(join(root, 'src', 'renderer', 'public'), { recursive: true })
copyFileSync(join(resources, 'icon.svg'), join(root, 'src', 'renderer', 'public', 'favicon.svg'))
process.stdout.write('Wrote resources/icon.png, icon.icns, icon.ico and src/renderer/public/favicon.svg\n')
