import {defineConfig} from '@playwright/test'

// End-to-end tests: the built frontend served by app/e2eserve with the real Go services behind a
// binding shim, driven in Debian's Chromium (no browser download). Two servers, each on its own
// demo: the agents' window on E2E_PORT, the lobby kiosk (e2eserve -borne, project « borne ») three
// ports above, or on E2E_KIOSK_PORT, so that parallel runs on other ports do not collide. The live
// spec starts its own pair on one data file, five and six ports above (or on E2E_LIVE_PORT and the
// next).
const port = Number(process.env.E2E_PORT || 34116)
const kioskPort = Number(process.env.E2E_KIOSK_PORT || port + 3)
const server = (addr: number, flags = '') => ({
  command: `cd .. && go run ./app/e2eserve -addr 127.0.0.1:${addr}${flags}`,
  url: `http://127.0.0.1:${addr}/`,
  timeout: 240_000,
  reuseExistingServer: false,
})
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
  projects: [
    {name: 'agents', testIgnore: /\/kiosk[^/]*\.spec\.ts$/},
    // The kiosk's 22-inch portrait touch screen.
    {name: 'borne', testMatch: /\/kiosk[^/]*\.spec\.ts$/, use: {baseURL: `http://127.0.0.1:${kioskPort}`, viewport: {width: 1080, height: 1920}, hasTouch: true}},
  ],
  webServer: [server(port), server(kioskPort, ' -borne')],
})
