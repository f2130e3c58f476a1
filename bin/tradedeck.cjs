#!/usr/bin/env node
'use strict'
const { existsSync } = require('node:fs')
const { join } = require('node:path')

// Two hosts share this command: `serve` is browser mode, everything else is the command line.
const entry = join(__dirname, '..', 'out', 'main', process.argv[2] === 'serve' ? 'browser.js' : 'cli.js')
if (!existsSync(entry)) {
  process.stderr.write('tradedeck: the app is not built yet. Run `npm run build` (npm install does it for you).\n')
  process.exit(1)
}
require(entry)
