import react from '@vitejs/plugin-react'
import { defineConfig } from 'electron-vite'
import { resolve } from 'node:path'
import { migrationsManifestPlugin } from './build/migrations-manifest-plugin'

export default defineConfig({
  main: {
    plugins: [migrationsManifestPlugin(resolve(__dirname, 'migrations'))],
    build: {
      // trading-signals ships as ESM only; bundling it lets the CommonJS main build use it.
      externalizeDeps: { exclude: ['trading-signals'] },
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          cli: resolve(__dirname, 'src/main/cli/index.ts'),
          browser: resolve(__dirname, 'src/main/server/main.ts'),
          'strategy-worker': resolve(__dirname, 'src/main/core/domains/strategies/worker/strategy-worker.ts'),
          'import-reader': resolve(__dirname, 'src/main/core/domains/imports/reader-worker/worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      rollupOptions: { input: { index: resolve(__dirname, 'src/preload/index.ts') } },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    plugins: [react()],
    build: {
      rollupOptions: { input: resolve(__dirname, 'src/renderer/index.html') },
    },
  },
})
