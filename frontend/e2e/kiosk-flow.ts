import {expect, type Page} from '@playwright/test'
import {expectAccessible, guideShot} from './helpers'

// The usager's path at the lobby kiosk, on its screens' keyboards: shared by the kiosk's own spec
// and the postes' spec (the kiosk on a poste secondaire).

/** Taps characters on the on-screen keyboard shown on the page. */
export async function tap(page: Page, text: string) {
  const keyboard = page.getByRole('group', {name: /^Clavier/})
  for (const ch of text) {
    await keyboard.getByRole('button', {name: ch === ' ' ? 'Espace' : ch, exact: true}).click()
  }
}

/** Books a CNI for one person today at 11 h 20, typing everything on the screen's keyboards. */
export async function bookToday(page: Page, shots = false) {
  await page.getByRole('button', {name: /Prendre un rendez-vous/}).click()
  await expect(page.getByRole('heading', {name: 'Pour quelle démarche ?'})).toBeFocused()
  await expect(page.getByRole('button', {name: /Carte d’identité|Carte d’identité/}).first()).toContainText('Faire ou renouveler une carte d’identité')
  if (shots) await expectAccessible(page)
  await page.getByRole('button', {name: /^Carte d’identité Faire ou renouveler une carte/}).click()

  await expect(page.getByRole('heading', {name: 'Pour combien de personnes ?'})).toBeVisible()
  if (shots) await expectAccessible(page)
  await page.getByRole('button', {name: '1 personne'}).click()

  await expect(page.getByRole('heading', {name: 'Quel jour ?'})).toBeVisible()
  await page.getByRole('button', {name: 'Aujourd’hui, mardi 10 mars'}).click()
  await expect(page.getByRole('heading', {name: 'À quelle heure ?'})).toBeVisible()
  if (shots) await expectAccessible(page)
  await page.getByRole('button', {name: '11\u202fh\u202f20', exact: true}).click()

  await expect(page.getByRole('heading', {name: 'Vos coordonnées'})).toBeVisible()
  await expect(page.getByRole('button', {name: 'Continuer'})).toBeDisabled()
  await page.getByRole('textbox', {name: 'Nom', exact: true}).click()
  await tap(page, 'lefèvre')
  await page.getByRole('textbox', {name: 'Prénom', exact: true}).click()
  await tap(page, 'hélène')
  await page.getByRole('textbox', {name: 'Téléphone', exact: true}).click()
  await tap(page, '0612345678')
  await expect(page.getByRole('textbox', {name: 'Nom', exact: true})).toHaveValue('Lefèvre')
  await expect(page.getByRole('textbox', {name: 'Prénom', exact: true})).toHaveValue('Hélène')
  await expect(page.getByRole('textbox', {name: 'Téléphone', exact: true})).toHaveValue('06 12 34 56 78')
  if (shots) {
    await page.getByRole('textbox', {name: 'Prénom', exact: true}).click()
    await expectAccessible(page)
    await guideShot(page, 'borne-reservation.png')
  }
  await page.getByRole('button', {name: 'Continuer'}).click()

  await expect(page.getByRole('heading', {name: 'Votre numéro de pré-demande'})).toBeVisible()
  await expect(page.getByText(/ants\.gouv\.fr/)).toBeVisible()
  await tap(page, 'AB12CD34EF')
  await expect(page.getByRole('textbox', {name: 'Numéro de pré-demande', exact: true})).toHaveValue('AB12CD34EF')
  if (shots) await expectAccessible(page)
  await page.getByRole('button', {name: 'Continuer'}).click()

  await expect(page.getByRole('heading', {name: 'Vérifiez votre rendez-vous'})).toBeVisible()
  await expect(page.locator('.summary')).toContainText('mardi 10 mars à 11\u202fh\u202f20')
  await expect(page.locator('.summary')).toContainText('Hélène Lefèvre')
  if (shots) await expectAccessible(page)
  await page.getByRole('button', {name: 'Confirmer'}).click()

  await expect(page.getByRole('heading', {name: 'N’oubliez pas votre ticket.'})).toBeVisible()
  // No ticket printer is set in the demo: the A4 convocation went to the (fake) A4 printer.
  await expect(page.getByRole('status')).toHaveText('Votre convocation est imprimée.')
  await expect(page.locator('.summary')).toContainText('Mairie, 1 place de la Mairie, 45130 Saint-Aubin-sur-Loire')
  await expect(page.getByRole('list').filter({hasText: 'Photo d’identité'})).toBeVisible()
  const code = (await page.locator('.short-code').textContent())!.replace(/\s/g, '')
  expect(code).toMatch(/^[2-9A-HJ-NP-Z]{8}$/)
  return code
}
