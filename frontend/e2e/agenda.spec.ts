import {expect, test} from '@playwright/test'
import AxeBuilder from '@axe-core/playwright'

// The demo agenda is created by app/e2eserve at 2026-03-10 08:45 Paris (a Tuesday: the DR's
// plage is open in the morning).

test('the agenda opens on today with the demo RDVs, from the real Go services', async ({page}) => {
  const errors: string[] = []
  page.on('pageerror', e => errors.push(e.message))
  await page.goto('/')
  await expect(page.getByRole('heading', {name: 'RDV Guichet'})).toBeVisible()
  await expect(page.getByText('Mairie de Saint-Aubin-sur-Loire')).toBeVisible()
  await expect(page.getByTestId('current-day')).toHaveText('mardi 10 mars 2026')
  // Three agendas side by side.
  for (const name of ['Claire Martin', 'Karim Benali', 'DR — titres d’identité'.replace('’', "'")]) {
    await expect(page.locator('.fc-col-header-cell', {hasText: name})).toBeVisible()
  }
  await expect(page.locator('.rdv-event').first()).toBeVisible()
  // Navigation by keyboard: n goes to the next day.
  await page.keyboard.press('n')
  await expect(page.getByTestId('current-day')).toHaveText('mercredi 11 mars 2026')
  await page.keyboard.press('t')
  await expect(page.getByTestId('current-day')).toHaveText('mardi 10 mars 2026')
  expect(errors).toEqual([])
})

test('the agenda screen has no accessibility violations', async ({page}) => {
  await page.goto('/')
  await expect(page.locator('.rdv-event').first()).toBeVisible()
  const results = await new AxeBuilder({page}).analyze()
  expect(results.violations.map(v => `${v.id}: ${v.help} — ${v.nodes.map(n => n.target.join(" ")).join(" | ")}`)).toEqual([])
})

test('a failing Go call shows its French message', async ({page}) => {
  await page.goto('/')
  const message = await page.evaluate(async () => {
    try {
      await (window as any).go.app.AgentService.Agenda({start: '2026-03-12', end: '2026-03-10', lieuId: '', agentIds: [], includeCancelled: false})
      return 'no error'
    } catch (e) {
      return String(e)
    }
  })
  expect(message).toContain('période d\'agenda invalide')
})

test('screenshot of the day (for the guide)', async ({page}) => {
  await page.goto('/')
  await expect(page.locator('.rdv-event').first()).toBeVisible()
  await page.screenshot({path: 'test-results/agenda-jour.png'})
})
