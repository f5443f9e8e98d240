import {expect, test} from '@playwright/test'
import {expectAccessible, guideShot, signIn} from './helpers'

test('sign-in: wrong password refused, demo accounts shown, then the agenda of today', async ({page}) => {
  const errors: string[] = []
  page.on('pageerror', e => errors.push(e.message))
  await page.goto('/')
  await expect(page.getByText('Données de démonstration')).toContainText('claire')
  await expectAccessible(page)
  await page.getByLabel('Identifiant').fill('claire')
  await page.getByLabel('Mot de passe').fill('mauvais mot de passe')
  await page.getByRole('button', {name: 'Se connecter'}).click()
  await expect(page.getByRole('alert')).toHaveText('Identifiant ou mot de passe incorrect.')
  await signIn(page)
  await expect(page.getByRole('heading', {name: 'RDV Guichet'})).toBeVisible()
  await expect(page.getByText('Claire Martin (administrateur)')).toBeVisible()
  await expect(page.getByTestId('current-day')).toHaveText('mardi 10 mars 2026')
  for (const name of ['Claire Martin', 'Karim Benali', "DR — titres d'identité"]) {
    await expect(page.locator('.fc-col-header-cell', {hasText: name})).toBeVisible()
  }
  // Keyboard: n goes to the next day, t back to today, s to the week.
  await page.keyboard.press('n')
  await expect(page.getByTestId('current-day')).toHaveText('mercredi 11 mars 2026')
  await page.keyboard.press('t')
  await expect(page.getByTestId('current-day')).toHaveText('mardi 10 mars 2026')
  expect(errors).toEqual([])
})

test('the agenda and the help have no accessibility violations', async ({page}) => {
  await signIn(page)
  await expectAccessible(page)
  await page.keyboard.press('?')
  await expect(page.getByRole('heading', {name: 'Raccourcis clavier'})).toBeVisible()
  await expectAccessible(page)
  await page.getByRole('button', {name: 'Fermer'}).click()
})

test('without a session, Go refuses and the frontend shows the sign-in screen again', async ({page}) => {
  await signIn(page)
  await page.getByRole('button', {name: 'Se déconnecter'}).click()
  await expect(page.getByRole('button', {name: 'Se connecter'})).toBeVisible()
  const message = await page.evaluate(async () => {
    try {
      await (window as any).go.app.AgentService.Agenda({start: '2026-03-10', end: '2026-03-11', lieuId: '', agentIds: [], includeCancelled: false})
      return 'no error'
    } catch (e) {
      return String(e)
    }
  })
  expect(message).toBe('Session terminée : reconnectez-vous.')
})

test('a failing Go call shows its French message', async ({page}) => {
  await signIn(page)
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

test('week view: one click shows the week of every agenda', async ({page}) => {
  await signIn(page)
  await page.getByRole('button', {name: 'Semaine', exact: true}).click()
  await expect(page.locator('.fc-resourceTimeGridWeek-view .rdv-event').first()).toBeVisible()
  await expect(page.getByTestId('current-day')).toHaveText('semaine du lundi 9 mars 2026')
})

test('screenshot of the agenda (for the guide)', async ({page}) => {
  await signIn(page)
  await page.locator('.rdv-event').first().click()
  await expect(page.getByRole('heading', {level: 2}).first()).toBeVisible()
  await guideShot(page, 'agenda.png')
})
