import {expect, test, type Page} from '@playwright/test'
import type {ChildProcess} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {signIn} from './helpers'
import {buildServer, serve, stop, up} from './processes'

// The day opens at the current time late in the day too (issue 15, #5): at 16 h 20 the grid opened
// at 7 h, the hour to scroll to being « NaN » (French writes the hour « 16 h »). The agents' window
// of a process of its own whose clock says 16 h 20 (e2eserve -now), on E2E_LATE_PORT or fourteen
// above E2E_PORT; and one whose clock says 20 h 06, after the grid's last hour, on the next port.

const port = Number(process.env.E2E_LATE_PORT || Number(process.env.E2E_PORT || 34116) + 14)
const closedPort = port + 1
let dir = ''
const servers: ChildProcess[] = []

test.use({baseURL: `http://127.0.0.1:${port}`, viewport: {width: 1366, height: 768}})

test.beforeAll(async () => {
  test.setTimeout(240_000)
  dir = mkdtempSync(path.join(tmpdir(), 'rdv-late-'))
  const bin = buildServer(dir)
  servers.push(serve(bin, port, ['-now', '2026-03-10T16:20:00+01:00', '-central', '']))
  servers.push(serve(bin, closedPort, ['-now', '2026-03-10T20:06:00+01:00', '-central', '']))
  await up(port)
  await up(closedPort)
})

test.afterAll(async () => {
  await stop(servers)
  if (dir) rmSync(dir, {recursive: true, force: true})
})

/** Whether the element's box lies inside the visible part of the grid's scroller. */
const insideGrid = (page: Page, selector: string) => page.locator(selector).first().evaluate(el => {
  const r = el.getBoundingClientRect()
  const g = el.closest('.fc-timegrid-body')!.closest('.fc-scroller')!.getBoundingClientRect()
  return r.top >= g.top && r.bottom <= g.bottom
})

test('at 16 h 20 the day opens on the afternoon: the now line and the 16 h row are inside the grid', async ({page}) => {
  await signIn(page)
  const inside = (selector: string) => insideGrid(page, selector)
  await expect.poll(() => inside('.fc-timegrid-now-indicator-line')).toBe(true)
  await expect.poll(() => inside('td.fc-timegrid-slot-lane[data-time="16:00:00"]')).toBe(true)
  await expect(page.locator('.fc-timegrid-now-indicator-line').first()).toBeInViewport()
  // Another day opens at 8 h; today again at the hour before now.
  await page.getByRole('button', {name: 'Jour suivant'}).click()
  await expect(page.getByTestId('current-day')).toHaveText('mercredi 11 mars 2026')
  await expect.poll(() => inside('td.fc-timegrid-slot-lane[data-time="08:00:00"]')).toBe(true)
  await page.getByRole('button', {name: 'Aujourd’hui'}).click()
  await expect.poll(() => inside('.fc-timegrid-now-indicator-line')).toBe(true)
})

test.describe('after closing', () => {
  test.use({baseURL: `http://127.0.0.1:${closedPort}`})
  test('at 20 h 06 the day opens on its last hours, not at its top', async ({page}) => {
    await signIn(page)
    await expect.poll(() => insideGrid(page, 'td.fc-timegrid-slot-lane[data-time="18:00:00"]')).toBe(true)
    await expect.poll(() => insideGrid(page, 'td.fc-timegrid-slot-lane[data-time="08:00:00"]')).toBe(false)
  })
})
