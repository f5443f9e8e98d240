import {expect, test} from '@playwright/test'
import {DEMO_PASSWORD} from './helpers'

// The sign-in screen does not wait for the signed-in screens' code (FullCalendar and every form,
// most of the agents' bytes): it shows first, and that code arrives while the agent types
// (issue 16; the figures in docs/benchmarks.md). Here every script holding FullCalendar's time
// grid is held back until the form is filled: the form must be usable meanwhile, and the agenda
// must come once the script is let through.
test('the sign-in screen shows before the agenda’s code has arrived', async ({page}) => {
  await page.goto('/')
  await page.evaluate(() => (window as any).go.app.AgentService.SignOut())

  let release = () => {}
  const gate = new Promise<void>(r => { release = r })
  const held: string[] = []
  // Routing turns the HTTP cache off: the reload fetches every script again, through here.
  await page.route('**/assets/*.js', async route => {
    const response = await route.fetch()
    const body = await response.text()
    if (body.includes('fc-timegrid')) {
      held.push(route.request().url())
      await gate
    }
    await route.fulfill({response, body})
  })
  await page.reload()

  await page.getByLabel('Identifiant').fill('claire')
  await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD)
  // The screens' code was asked for in the background, and is still held.
  await expect.poll(() => held.length).toBe(1)
  await expect(page.locator('.fc')).toHaveCount(0)

  release()
  await page.getByRole('button', {name: 'Se connecter'}).click()
  await expect(page.locator('.rdv-event').first()).toBeVisible()
})
