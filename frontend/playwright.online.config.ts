import {defineConfig} from '@playwright/test'

// Browser tests of the online booking pages that rdv-central serves (sync/server/web), in
// Debian's Chromium: build/scripts/online-e2e-serve.sh starts rdv-central on a fresh database of
// the test PostgreSQL (RDV_TEST_PG) with one organisation, « Mairie de Saint-Aubin ». Two sizes:
// a phone (360 × 740) and a desktop.
//
//   RDV_TEST_PG=… npx playwright test -c playwright.online.config.ts
const port = Number(process.env.ONLINE_PORT || 34180)
export default defineConfig({
  testDir: './e2e-online',
  workers: 1,
  timeout: 60_000,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    locale: 'fr-FR',
    timezoneId: 'Europe/Paris',
    launchOptions: {
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
        '--disable-sync', '--no-first-run', '--disable-quic'],
    },
  },
  projects: [
    {name: 'phone', use: {viewport: {width: 360, height: 740}, isMobile: true, hasTouch: true, deviceScaleFactor: 2}},
    {name: 'desktop', use: {viewport: {width: 1280, height: 860}}},
  ],
  webServer: {
    command: `../build/scripts/online-e2e-serve.sh ${port}`,
    url: `http://127.0.0.1:${port}/healthz`,
    timeout: 240_000,
    reuseExistingServer: !!process.env.ONLINE_REUSE,
  },
})
