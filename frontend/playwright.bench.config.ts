import {defineConfig} from '@playwright/test'
import base from './playwright.config'

// The UI benchmarks (`make bench`): the same browser as the end-to-end tests, one agents' server on
// the data file given by RDV_BUSY_FILE (the agenda of a million RDVs) when it is set.
const port = Number(process.env.E2E_BENCH_PORT || 34118)
const db = process.env.RDV_BUSY_FILE ? ` -db ${process.env.RDV_BUSY_FILE}` : ''
export default defineConfig({
  ...base,
  testDir: './bench',
  testMatch: '*.bench.ts',
  timeout: 120_000,
  projects: [{name: 'bench'}],
  use: {...base.use, baseURL: `http://127.0.0.1:${port}`},
  webServer: {
    command: `cd .. && go run ./app/e2eserve -addr 127.0.0.1:${port}${db}`,
    url: `http://127.0.0.1:${port}/`,
    timeout: 240_000,
    reuseExistingServer: false,
  },
})
