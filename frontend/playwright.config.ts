import {defineConfig} from '@playwright/test'

// End-to-end tests: the built frontend served by app/e2eserve with the real Go services behind a
// binding shim, driven in Debian's Chromium (no browser download).
const port = Number(process.env.E2E_PORT || 34116)
export default defineConfig({
  testDir: './e2e',
  workers: 1,
  timeout: 30_000,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    locale: 'fr-FR',
    timezoneId: 'Europe/Paris',
    viewport: {width: 1280, height: 860},
    launchOptions: {
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
        '--disable-sync', '--no-first-run', '--disable-quic'],
    },
  },
  webServer: {
    command: `cd .. && go run ./app/e2eserve -addr 127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}/`,
    timeout: 240_000,
    reuseExistingServer: false,
  },
})
