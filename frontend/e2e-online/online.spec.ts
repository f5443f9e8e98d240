import {expect, test, type Page} from '@playwright/test'
import AxeBuilder from '@axe-core/playwright'

// The online booking pages of « Mairie de Saint-Aubin » (seeded by sync/server's TestSeedE2E):
// two motifs sold online on weekday mornings, one lieu.
const home = '/mairie-de-saint-aubin/'
const plain = 'Inscription sur les listes électorales'
const ants = "Passeport ou carte d'identité"

/** axe-core (WCAG 2.1 A and AA rules) finds no violation on the page. */
async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({page}).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze()
  expect(results.violations.map(v => `${v.id}: ${v.help} — ${v.nodes.map(n => n.target.join(' ')).join(' | ')}`)).toEqual([])
}

/** The page fits its width: no horizontal scrolling. */
async function expectNoHorizontalScroll(page: Page) {
  const [scroll, width] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth])
  expect(scroll).toBeLessThanOrEqual(width)
}

/** Checks the page (accessibility, width), and at phone size keeps a screenshot for the guide. */
async function check(page: Page, shot?: string) {
  await expectAccessible(page)
  await expectNoHorizontalScroll(page)
  if (shot && test.info().project.name === 'phone') {
    await page.screenshot({path: process.env.UPDATE_DOCS ? `../docs/guide/en-ligne/${shot}` : `test-results/en-ligne/${shot}`, fullPage: true, scale: 'css'})
  }
}

/** Presses Tab until target has the focus (at most 60 times): the keyboard reaches it. */
async function tabTo(page: Page, target: ReturnType<Page['locator']>) {
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press('Tab')
    if (await target.evaluate(el => el === document.activeElement)) return
  }
  throw new Error('not reachable with Tab: ' + target.toString())
}

/** Books the plain motif by clicking, on the slot-th free slot of the first week, or on the slot
 * starting at start; returns the cancel link's URL. */
async function bookByClicks(page: Page, first: string, slot = 0, start?: string) {
  await page.goto(home)
  await page.getByLabel(plain).check()
  await page.getByRole('button', {name: 'Continuer'}).click()
  await slotButton(page, slot, start).click()
  await fillAndConfirm(page, first)
  return page.url().replace(/\?.*$/, '')
}

/** The button of the slot-th free slot of the grid, or of the slot starting at start. */
function slotButton(page: Page, slot: number, start?: string) {
  return start ? page.locator(`button[name="starts_at"][value="${start}"]`) : page.locator('button[name="starts_at"]').nth(slot)
}

/** Fills the form (names, e-mail), checks the summary and confirms. */
async function fillAndConfirm(page: Page, first: string) {
  await page.getByLabel('Prénom').fill(first)
  await page.getByLabel('Nom', {exact: true}).fill('Lefèvre')
  await page.getByLabel('Adresse e-mail').fill(`${first.toLowerCase()}@example.org`)
  await page.getByRole('button', {name: 'Vérifier ma demande'}).click()
  await page.getByRole('button', {name: 'Confirmer le rendez-vous'}).click()
  await expect(page.getByRole('heading', {name: 'Votre rendez-vous'})).toBeVisible()
}

test('a full booking with the keyboard only, every step accessible', async ({page}) => {
  await page.goto(home)
  await check(page, '1-demarche.png')
  // Tab enters the group of radios on its first; the arrows choose within it.
  await tabTo(page, page.getByLabel(plain))
  await page.keyboard.press('ArrowDown')
  await expect(page.getByLabel(ants)).toBeChecked()
  await tabTo(page, page.getByRole('button', {name: 'Continuer'}))
  await page.keyboard.press('Enter')

  await expect(page.getByRole('heading', {name: 'Personnes et lieu'})).toBeVisible()
  await check(page, '2-personnes-lieu.png')
  await tabTo(page, page.getByLabel('Nombre de personnes'))
  await page.keyboard.press('ArrowDown') // 2 persons
  await tabTo(page, page.getByRole('button', {name: 'Continuer'}))
  await page.keyboard.press('Enter')

  await expect(page.getByRole('heading', {name: "Choisir le jour et l’heure"})).toBeVisible()
  await check(page, '3-jour-heure.png')
  await tabTo(page, page.locator('button[name="starts_at"]').first())
  await page.keyboard.press('Enter')

  await expect(page.getByRole('heading', {name: 'Vos coordonnées'})).toBeVisible()
  await check(page, '4-coordonnees.png')
  await tabTo(page, page.getByLabel('Prénom'))
  await page.keyboard.type('Hélène')
  await page.keyboard.press('Tab')
  await page.keyboard.type('Lefèvre')
  await page.keyboard.press('Tab')
  await page.keyboard.type('06 12 34 56 78')
  await tabTo(page, page.getByLabel('Numéro de pré-demande ANTS de la personne 1'))
  await page.keyboard.type('AB12CD34EF')
  await page.keyboard.press('Tab')
  await page.keyboard.type('ZX98CV76BN')
  await page.keyboard.press('Tab')
  await page.keyboard.press('Space') // reminders
  await tabTo(page, page.getByRole('button', {name: 'Vérifier ma demande'}))
  await page.keyboard.press('Enter')

  await expect(page.getByRole('heading', {name: 'Vérifiez votre rendez-vous'})).toBeVisible()
  await expect(page.getByText('AB12CD34EF, ZX98CV76BN')).toBeVisible()
  await check(page, '5-recapitulatif.png')
  await tabTo(page, page.getByRole('button', {name: 'Confirmer le rendez-vous'}))
  await page.keyboard.press('Enter')

  await expect(page.getByText('Votre rendez-vous est confirmé.')).toBeVisible()
  await expect(page.getByText('H. L.')).toBeVisible()
  await check(page, '6-confirmation.png')
  const pdf = page.waitForEvent('download')
  await tabTo(page, page.getByRole('link', {name: 'Télécharger la convocation (PDF)'}))
  await page.keyboard.press('Enter')
  expect((await pdf).suggestedFilename()).toBe('convocation.pdf')
})

test('the same journey with JavaScript disabled, then move and cancel through the link', async ({browser}) => {
  const context = await browser.newContext({javaScriptEnabled: false, ...test.info().project.use})
  const page = await context.newPage()
  const link = await bookByClicks(page, 'Sans')
  await page.getByRole('link', {name: 'Déplacer le rendez-vous'}).click()
  await expect(page.getByRole('heading', {name: 'Déplacer le rendez-vous'})).toBeVisible()
  await page.getByRole('button', {name: /Semaine suivante/}).click()
  await page.locator('button[name="starts_at"]').first().click()
  await expect(page.getByText('Votre rendez-vous est déplacé.')).toBeVisible()
  await page.getByRole('link', {name: 'Annuler le rendez-vous'}).click()
  await page.getByRole('button', {name: 'Oui, annuler le rendez-vous'}).click()
  await expect(page.getByText('Votre rendez-vous est annulé. La mairie en est informée.')).toBeVisible()
  await page.goto(link)
  await expect(page.getByText('Ce rendez-vous est annulé.')).toBeVisible()
  await context.close()
})

// Cancelling through the link frees the slot: the grid offers it again and it is booked again
// online. With JavaScript (axe on each page of the link) and without.
for (const js of [true, false]) {
  test(`cancel through the link frees the slot, booked again online${js ? '' : ', without JavaScript'}`, async ({browser}) => {
    const context = await browser.newContext({...test.info().project.use, javaScriptEnabled: js})
    const page = await context.newPage()
    await page.goto(home)
    await page.getByLabel(plain).check()
    await page.getByRole('button', {name: 'Continuer'}).click()
    const start = await slotButton(page, 0).getAttribute('value')
    expect(start).toBeTruthy()
    const link = await bookByClicks(page, js ? 'Libere' : 'Liberesansjs', 0, start!)
    if (js) await check(page)
    await page.goto(home)
    await page.getByLabel(plain).check()
    await page.getByRole('button', {name: 'Continuer'}).click()
    await expect(slotButton(page, 0, start!)).toHaveCount(0) // sold

    await page.goto(link)
    await page.getByRole('link', {name: 'Annuler le rendez-vous'}).click()
    await expect(page.getByRole('button', {name: 'Oui, annuler le rendez-vous'})).toBeVisible()
    if (js) await check(page)
    await page.getByRole('button', {name: 'Oui, annuler le rendez-vous'}).click()
    await expect(page.getByText('Votre rendez-vous est annulé. La mairie en est informée.')).toBeVisible()
    if (js) await check(page)

    const again = await bookByClicks(page, js ? 'Reprend' : 'Reprendsansjs', 0, start!)
    expect(again).not.toBe(link)
    await expect(page.getByText('Votre rendez-vous est confirmé.')).toBeVisible()
    await page.goto(link)
    await expect(page.getByText('Ce rendez-vous est annulé.')).toBeVisible()
    await context.close()
  })
}

// A move through the link: the new time is shown, the old slot is offered again; every page of
// the move is accessible.
test('a move through the link, accessible, frees the old slot', async ({page}) => {
  await page.goto(home)
  await page.getByLabel(plain).check()
  await page.getByRole('button', {name: 'Continuer'}).click()
  const start = await slotButton(page, 0).getAttribute('value')
  const link = await bookByClicks(page, 'Deplace', 0, start!)
  await page.getByRole('link', {name: 'Déplacer le rendez-vous'}).click()
  await expect(page.getByRole('heading', {name: 'Déplacer le rendez-vous'})).toBeVisible()
  await check(page)
  await page.getByRole('button', {name: /Semaine suivante/}).click()
  await check(page)
  const target = await slotButton(page, 0).getAttribute('value')
  await slotButton(page, 0).click()
  await expect(page.getByText('Votre rendez-vous est déplacé.')).toBeVisible()
  await check(page)
  expect(page.url().replace(/\?.*$/, '')).toBe(link)
  await page.goto(home)
  await page.getByLabel(plain).check()
  await page.getByRole('button', {name: 'Continuer'}).click()
  await expect(slotButton(page, 0, start!)).toHaveCount(1) // the old time is free again
  expect(target).not.toBe(start)
})

test('errors on every field, each next to its field, nothing typed lost', async ({page}) => {
  await page.goto(home)
  await page.getByRole('button', {name: 'Continuer'}).click()
  await expect(page.locator('#motif-erreur')).toHaveText('Choisissez une démarche.')
  await expect(page.getByRole('link', {name: 'Choisissez une démarche.'})).toHaveAttribute('href', '#motif')
  await page.getByLabel(ants).check()
  await page.getByRole('button', {name: 'Continuer'}).click()
  await page.getByLabel('Nombre de personnes').selectOption('2')
  await page.getByRole('button', {name: 'Continuer'}).click()
  await page.locator('button[name="starts_at"]').first().click()
  await page.getByLabel('Prénom').fill('Jean')
  await page.getByLabel('Numéro de pré-demande ANTS de la personne 1').fill('AB12')
  await page.getByRole('button', {name: 'Vérifier ma demande'}).click()

  const errors: Record<string, string> = {
    nom: 'Le nom est obligatoire.',
    tel: 'Indiquez un numéro de téléphone ou une adresse e-mail pour recevoir la confirmation.',
    pd1: 'Un numéro de pré-demande compte 10 lettres ou chiffres, par exemple AB12CD34EF.',
    pd2: 'Indiquez le numéro de pré-demande de cette personne.',
  }
  for (const [id, text] of Object.entries(errors)) {
    const field = page.locator('#' + id)
    await expect(field).toHaveAttribute('aria-invalid', 'true')
    await expect(field).toHaveAccessibleDescription(new RegExp('^' + text.replace(/[.()]/g, '\\$&')))
  }
  await expect(page.getByLabel('Prénom')).toHaveValue('Jean')
  await expect(page.getByLabel('Numéro de pré-demande ANTS de la personne 1')).toHaveValue('AB12')
  await check(page, '4b-erreurs.png')

  await page.getByLabel('Nom', {exact: true}).fill('Valjean')
  await page.getByLabel('Téléphone portable').fill('12')
  await page.getByLabel('Adresse e-mail').fill('jean@')
  await page.getByLabel('Numéro de pré-demande ANTS de la personne 1').fill('AB12CD34EF')
  await page.getByLabel('Numéro de pré-demande ANTS de la personne 2').fill('ab12-cd34-ef')
  await page.getByRole('button', {name: 'Vérifier ma demande'}).click()
  await expect(page.locator('#tel')).toHaveAccessibleDescription(/^Ce numéro de téléphone n’est pas valide/)
  await expect(page.locator('#email')).toHaveAccessibleDescription(/^L’adresse e-mail n’est pas valide/)
  await expect(page.locator('#pd2')).toHaveAccessibleDescription(/^Ce numéro est déjà indiqué pour une autre personne/)
  await expect(page.locator('#erreurs li')).toHaveCount(3)
})

test('English pages, accessible too', async ({page}) => {
  await page.goto(home + '?lang=en')
  await expect(page.locator('html')).toHaveAttribute('lang', 'en')
  await expect(page.getByRole('heading', {name: 'Book an appointment'})).toBeVisible()
  await check(page)
  await page.getByLabel(plain).check()
  await page.getByRole('button', {name: 'Continue'}).click()
  await expect(page.getByRole('heading', {name: 'Choose the day and time'})).toBeVisible()
  await check(page)
  await page.locator('button[name="starts_at"]').first().click()
  await page.getByRole('button', {name: 'Review my request'}).click()
  await expect(page.locator('#prenom-erreur')).toHaveText('Enter the first name.')
  await expect(page.locator('#prenom')).toHaveAccessibleDescription(/^Enter the first name\./)
  await expect(page.locator('#tel-erreur')).toHaveText('Give a phone number or an e-mail address to receive the confirmation.')
  await check(page)
  await page.getByLabel('First name').fill('Jean\u202e')
  await page.getByLabel('Mobile phone').fill('12')
  await page.getByLabel('E-mail address').fill('jean@')
  await page.getByRole('button', {name: 'Review my request'}).click()
  await expect(page.locator('#prenom-erreur')).toHaveText(/^This field contains an invisible formatting character/)
  await expect(page.locator('#nom-erreur')).toHaveText('Enter the last name.')
  await expect(page.locator('#tel-erreur')).toHaveText(/^This phone number is not valid/)
  await expect(page.locator('#email-erreur')).toHaveText(/^The e-mail address is not valid/)
  await expect(page.getByLabel('E-mail address')).toHaveValue('jean@')
  await check(page)
  await page.goto(home + 'accessibilite?lang=en')
  await check(page)
})

test('the accessibility statement and the cancel link pages are accessible', async ({page}) => {
  await page.goto(home + 'accessibilite')
  await expect(page.getByRole('heading', {name: "Déclaration d’accessibilité"})).toBeVisible()
  await check(page, '8-declaration-accessibilite.png')
  const link = await bookByClicks(page, 'Axe', 1)
  await page.goto(link + '/deplacer')
  await check(page, '7a-deplacer.png')
  await page.goto(link + '/annuler')
  await check(page, '7b-annuler.png')
  await page.goto('/r/ceci-n-est-pas-un-lien-valable-0000000000000')
  await expect(page.getByRole('heading', {name: 'Lien non valable'})).toBeVisible()
  await check(page)
})

test('320 px wide: no horizontal scrolling on any step', async ({page}) => {
  test.skip(test.info().project.name !== 'phone', 'one width is enough')
  await page.setViewportSize({width: 320, height: 640})
  await page.goto(home)
  await expectNoHorizontalScroll(page)
  await page.getByLabel(ants).check()
  await page.getByRole('button', {name: 'Continuer'}).click()
  await expectNoHorizontalScroll(page)
  await page.getByRole('button', {name: 'Continuer'}).click()
  await expectNoHorizontalScroll(page)
  await page.locator('button[name="starts_at"]').first().click()
  await expectNoHorizontalScroll(page)
})

test('first page on a slow 4G link renders in under a second', async ({page}) => {
  test.skip(test.info().project.name !== 'phone', 'the phone is the one on 4G')
  // Chromium DevTools' « Slow 4G » preset: 562.5 ms of latency, 1.44 Mbit/s down, 675 kbit/s up.
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Network.enable')
  await cdp.send('Network.emulateNetworkConditions', {offline: false, latency: 562.5,
    downloadThroughput: (1.44 * 1024 * 1024) / 8, uploadThroughput: (675 * 1024) / 8})
  const start = Date.now()
  await page.goto(home)
  // The paint entry may be recorded a moment after the load event.
  await page.waitForFunction(() => performance.getEntriesByName('first-contentful-paint').length > 0)
  const fcp = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0].startTime)
  const load = Date.now() - start
  console.log(`SLOW4G first-contentful-paint ${Math.round(fcp)} ms, load event ${load} ms`)
  expect(fcp).toBeGreaterThan(0)
  expect(fcp).toBeLessThan(1000)
})
