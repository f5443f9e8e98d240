import {expect, test} from '@playwright/test'
import {expectAccessible, guideShot} from './helpers'
import {bookToday, tap} from './kiosk-flow'

// The lobby kiosk, served by `e2eserve -borne` (KioskService alone) on its own demo at
// 2026-03-10 08:45, a Tuesday: the DR has free times this very morning from 10 h 45 on (the
// motifs' 2-hour public delay). Its printers are fakes that record what they print. The same-day
// check-in needs no test hook: the test books today at the kiosk, reads the code on the
// confirmation screen and checks in with it. (The QR token of another day's RDV is checked by the
// Go tests: short codes are only looked up among today's RDVs.)

test('home, booking on the screen\'s keyboards, ticket, then check-in with the printed code', async ({page}) => {
  await page.goto('/')
  await expect(page.getByText('Mairie de Saint-Aubin-sur-Loire')).toBeVisible()
  await expect(page.getByRole('button', {name: /J’ai un rendez-vous/})).toBeVisible()
  // Nothing of the agents' window is bound.
  expect(await page.evaluate(() => Object.keys((window as any).go.app))).toEqual(['KioskService'])
  await expectAccessible(page)
  await guideShot(page, 'borne-accueil.png')

  const code = await bookToday(page, true)
  await expectAccessible(page)
  await page.getByRole('button', {name: 'Terminer'}).click()
  await expect(page.getByRole('heading', {name: 'Bienvenue'})).toBeVisible()

  // Check-in: the code typed on the screen's keyboard.
  await page.getByRole('button', {name: /J’ai un rendez-vous/}).click()
  await expect(page.getByRole('textbox', {name: 'Code du rendez-vous', exact: true})).toBeFocused()
  await expectAccessible(page)
  await tap(page, code)
  await expect(page.getByRole('textbox', {name: 'Code du rendez-vous', exact: true})).toHaveValue(code)
  await page.getByRole('button', {name: 'Valider'}).click()
  await expect(page.getByRole('status')).toHaveText('Bonjour H. L., votre arrivée est enregistrée. Rendez-vous à 11\u202fh\u202f20 (Mairie, DR — titres d’identité). Merci de patienter : on vient vous chercher.')
  await expectAccessible(page)
  await page.getByRole('button', {name: 'Terminer'}).click()
  await expect(page.getByRole('heading', {name: 'Bienvenue'})).toBeVisible()
})

test('a forged or unknown code is not recognised, and a code typed by the scanner is submitted by its Enter', async ({page}) => {
  await page.goto('/')
  await page.getByRole('button', {name: /J’ai un rendez-vous/}).click()
  const field = page.getByRole('textbox', {name: 'Code du rendez-vous', exact: true})
  await expect(field).toBeFocused()
  // A USB scanner is a keyboard: it types the QR code's token, then Enter.
  await page.keyboard.type('AEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')
  await page.keyboard.press('Enter')
  await expect(page.getByRole('alert')).toHaveText(/^Code non reconnu/)
  await expect(field).toHaveValue('')
  await expect(field).toBeFocused()
  await tap(page, 'ZZZZ')
  await page.keyboard.type('yyyy')
  await page.keyboard.press('Enter')
  await expect(page.getByRole('alert')).toHaveText('Code non reconnu. Vérifiez le code, ou adressez-vous à l’accueil.')
  await expectAccessible(page)
})

test('after a minute without a touch, « Êtes-vous toujours là ? »; without an answer, everything is wiped', async ({page}) => {
  await page.clock.install()
  await page.goto('/')
  await page.getByRole('switch', {name: 'Grande taille'}).click()
  await expect(page.getByRole('switch', {name: 'Grande taille'})).toHaveAttribute('aria-checked', 'true')
  await page.getByRole('button', {name: /Prendre un rendez-vous/}).click()
  await page.getByRole('button', {name: /^Aide CAF/}).click()
  await page.getByRole('button', {name: /^Aujourd’hui/}).click()
  await page.getByRole('button', {name: '10\u202fh\u202f45', exact: true}).click()
  await page.getByRole('textbox', {name: 'Nom', exact: true}).click()
  await tap(page, 'martin')

  await page.clock.fastForward(59_000)
  await expect(page.getByRole('alertdialog')).toHaveCount(0)
  await page.clock.fastForward(1_000)
  const dialog = page.getByRole('alertdialog', {name: 'Êtes-vous toujours là ?'})
  await expect(dialog).toBeVisible()
  await expect(dialog).toContainText('dans 15\u00a0s')
  await expect(dialog.getByRole('button', {name: 'Oui, je continue'})).toBeFocused()
  await expectAccessible(page)
  await page.clock.fastForward(5_000)
  await expect(dialog).toContainText('dans 10\u00a0s')
  await dialog.getByRole('button', {name: 'Oui, je continue'}).click()
  await expect(dialog).toHaveCount(0)
  await expect(page.getByRole('textbox', {name: 'Nom', exact: true})).toHaveValue('Martin')

  await page.clock.fastForward(60_000)
  await expect(dialog).toBeVisible()
  for (let i = 0; i < 15; i++) await page.clock.fastForward(1_000)
  await expect(page.getByRole('heading', {name: 'Bienvenue'})).toBeVisible()
  await expect(dialog).toHaveCount(0)
  await expect(page.getByRole('switch', {name: 'Grande taille'})).toHaveAttribute('aria-checked', 'false')
  await page.getByRole('button', {name: /Prendre un rendez-vous/}).click()
  await expect(page.getByRole('heading', {name: 'Pour quelle démarche ?'})).toBeVisible()
})
