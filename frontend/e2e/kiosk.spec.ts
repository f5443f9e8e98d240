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

test('two passports: each person on their own screen with their name and pré-demande, both on the summary', async ({page}) => {
  await page.goto('/')
  await page.getByRole('button', {name: /Prendre un rendez-vous/}).click()
  await page.getByRole('button', {name: /^Passeport/}).click()
  await page.getByRole('button', {name: '2 personnes'}).click()
  await page.locator('.choices-days button').last().click() // the last day offered: today's times belong to the test above
  await page.locator('.choices-grid button').last().click()
  await expect(page.getByRole('heading', {name: 'Vos coordonnées'})).toBeVisible()
  await page.getByRole('textbox', {name: 'Nom', exact: true}).click()
  await tap(page, 'moreau')
  await page.getByRole('textbox', {name: 'Prénom', exact: true}).click()
  await tap(page, 'claire')
  await page.getByRole('textbox', {name: 'Téléphone', exact: true}).click()
  await tap(page, '0623456789')
  await page.getByRole('button', {name: 'Continuer'}).click()

  await expect(page.getByRole('heading', {name: 'Personne 1 sur 2'})).toBeFocused()
  await tap(page, 'PA12CD34EF')
  await page.getByRole('button', {name: 'Continuer'}).click()
  await expect(page.getByRole('heading', {name: 'Personne 2 sur 2'})).toBeFocused()
  await expect(page.getByText('Son nom et son prénom, puis le numéro de sa pré-demande.')).toBeVisible()
  await expect(page.getByRole('textbox', {name: 'Nom', exact: true})).toHaveValue('')
  await tap(page, 'moreau')
  await page.getByRole('textbox', {name: 'Prénom', exact: true}).click()
  await tap(page, 'jules')
  await page.getByRole('textbox', {name: 'Numéro de pré-demande', exact: true}).click()
  await tap(page, 'PA12CD34EF') // the first person's number
  await expectAccessible(page)
  await page.getByRole('button', {name: 'Continuer'}).click()
  await expect(page.locator('.summary')).toContainText('Personne 1 sur 2Claire Moreau — PA12CD34EF')
  await expect(page.locator('.summary')).toContainText('Personne 2 sur 2Jules Moreau — PA12CD34EF')
  await page.getByRole('button', {name: 'Confirmer'}).click()

  // The same number twice: back on person 2's screen, the error beside the field.
  await expect(page.getByRole('heading', {name: 'Personne 2 sur 2'})).toBeVisible()
  await expect(page.getByText('Ce numéro est déjà indiqué pour une autre personne : chaque personne a le sien.')).toBeVisible()
  await expect(page.getByRole('textbox', {name: 'Numéro de pré-demande', exact: true})).toHaveAttribute('aria-invalid', 'true')
  await expectAccessible(page)
  await page.getByRole('textbox', {name: 'Numéro de pré-demande', exact: true}).click()
  await page.getByRole('textbox', {name: 'Numéro de pré-demande', exact: true}).fill('')
  await tap(page, 'PB98ZY76XW')
  await expect(page.getByText('Ce numéro est déjà indiqué')).toHaveCount(0)
  await guideShot(page, 'borne-deux-passeports.png')
  await page.getByRole('button', {name: 'Continuer'}).click()
  await expect(page.locator('.summary')).toContainText('Personne 2 sur 2Jules Moreau — PB98ZY76XW')
  await page.getByRole('button', {name: 'Confirmer'}).click()
  await expect(page.getByRole('heading', {name: 'N’oubliez pas votre ticket.'})).toBeVisible()
  await expect(page.locator('.summary')).toContainText('Passeport — 2 personnes')
  await expectAccessible(page)
})
