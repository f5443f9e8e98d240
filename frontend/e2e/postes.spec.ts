import {type Browser, expect, type Page, test} from '@playwright/test'
import type {ChildProcess} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {eventsConnected, expectAccessible, guideShot, msUntilShown, signIn} from './helpers'
import {bookToday, tap} from './kiosk-flow'
import {buildServer, serve, stop, up} from './processes'

// The postes of one office (issue 12), in Chromium, with two real processes:
// - the poste principal: the agents' window on the office's data file (e2eserve -db), which serves
//   the postes over TLS once Paramètres › Postes turns it on;
// - a new PC (e2eserve on its own first-start demo): its sign-in screen leads to the pairing
//   screen; once paired as a borne, the same process serves the kiosk of the principal's agenda,
//   every call going through the postes' network path (app.RemoteService → HTTPS → principal).
// An usager books at that kiosk and checks in; the principal's waiting room shows the arrival
// within 2 s. Ports of their own: E2E_POSTES_PORT (by default ten above E2E_PORT) and the next two.

const principalPort = Number(process.env.E2E_POSTES_PORT || Number(process.env.E2E_PORT || 34116) + 10)
const newPcPort = principalPort + 1
const postesPort = principalPort + 2
const newPc = `http://127.0.0.1:${newPcPort}/`

let dir = ''
const servers: ChildProcess[] = []
// What the administrator reads on the principal and types on the new PC.
let fingerprint = ''
let code = ''

test.describe.configure({mode: 'serial'})
test.use({baseURL: `http://127.0.0.1:${principalPort}`, viewport: {width: 1366, height: 768}})

test.beforeAll(async () => {
  test.setTimeout(240_000)
  dir = mkdtempSync(path.join(tmpdir(), 'rdv-postes-'))
  const bin = buildServer(dir)
  servers.push(serve(bin, principalPort, ['-db', path.join(dir, 'bureau.sqlite'), '-central', '']))
  servers.push(serve(bin, newPcPort, ['-central', ''], {RDV_GUICHET_POSTE: path.join(dir, 'poste.json')}))
  await Promise.all([up(principalPort), up(newPcPort)])
})

test.afterAll(async () => {
  await stop(servers)
  if (dir) rmSync(dir, {recursive: true, force: true})
})

async function openPostesSettings(page: Page) {
  await signIn(page)
  await page.getByRole('navigation', {name: 'Écrans'}).getByRole('button', {name: 'Paramètres'}).click()
  await page.getByRole('navigation', {name: 'Rubriques des paramètres'}).getByRole('button', {name: 'Postes'}).click()
}

test('Paramètres › Postes: serve the office, add a borne, its one-time code shown big', async ({page}) => {
  await openPostesSettings(page)
  await expect(page.getByTestId('serving-state')).toHaveText('État : les postes ne sont pas servis.')
  const listen = page.getByLabel('Adresse d’écoute')
  await expect(listen).toHaveValue(':47650')
  await listen.fill(`127.0.0.1:${postesPort}`)
  await page.getByRole('button', {name: 'Servir les postes du bureau'}).click()
  await expect(page.locator('.flash')).toHaveText('Ce poste sert désormais les postes du bureau, et le fera à chaque démarrage.')
  await expect(page.getByTestId('addresses')).toHaveText(`127.0.0.1:${postesPort}`)
  fingerprint = (await page.getByTestId('fingerprint').innerText()).replace(/\s+/g, ' ').trim()
  expect(fingerprint).toMatch(/^([0-9A-F]{4} ){15}[0-9A-F]{4}$/)

  // A poste without a name: the field says so, in French.
  await page.getByRole('button', {name: 'Ajouter un poste'}).click()
  await page.getByRole('button', {name: 'Créer le code d’appairage'}).click()
  await expect(page.getByLabel('Nom du poste')).toHaveAccessibleDescription(/Indiquez le nom du poste/)
  await page.getByLabel('Nom du poste').fill('Borne du hall')
  await page.getByRole('radio', {name: /Borne d’accueil/}).check()
  await page.getByRole('button', {name: 'Créer le code d’appairage'}).click()
  code = (await page.getByTestId('pairing-code').innerText()).trim()
  expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2}$/)
  await expect(page.getByRole('region', {name: /Code d’appairage de « Borne du hall »/})).toContainText(/Une seule fois, valable jusqu.à 8\u202fh\u202f55\./)
  await expect(page.getByRole('row', {name: /Borne du hall/})).toContainText('En attente d’appairage')
  await expectAccessible(page)
  await guideShot(page, 'postes-code.png')

  // The same name again: refused, in French.
  await page.getByRole('button', {name: 'Terminé'}).click()
  await page.getByRole('button', {name: 'Ajouter un poste'}).click()
  await page.getByLabel('Nom du poste').fill('borne du hall')
  await page.getByRole('button', {name: 'Créer le code d’appairage'}).click()
  await expect(page.getByRole('alert')).toHaveText('Un poste s’appelle déjà « borne du hall » : choisissez un autre nom ou retirez d’abord l’ancien.')
})

test('the pairing screen of a new PC: address, fingerprint compared, code; the window becomes the borne', async ({page}) => {
  await page.goto(newPc)
  await page.getByRole('button', {name: 'Ce PC est un poste secondaire ? Le relier au poste principal'}).click()
  await expect(page.getByRole('heading', {name: 'Relier ce PC au poste principal'})).toBeVisible()
  // « Retour » goes back to the sign-in screen.
  await page.getByRole('button', {name: 'Retour'}).click()
  await page.getByRole('button', {name: /Ce PC est un poste secondaire/}).click()
  const address = page.getByLabel('Adresse du poste principal')
  await expect(address).toBeFocused()
  await expectAccessible(page)

  await address.fill('127.0.0.1:1') // nothing listens there
  await page.getByRole('button', {name: 'Continuer'}).click()
  await expect(page.getByRole('alert')).toContainText('Poste principal injoignable (127.0.0.1:1)')
  await address.fill(`127.0.0.1:${postesPort}`)
  await page.getByRole('button', {name: 'Continuer'}).click()
  await expect(page.getByTestId('fingerprint')).toBeVisible()
  expect((await page.getByTestId('fingerprint').innerText()).replace(/\s+/g, ' ').trim()).toBe(fingerprint)
  await expectAccessible(page)
  await guideShot(page, 'postes-appairage.png')

  await page.getByRole('button', {name: 'Oui, elle est identique'}).click()
  const codeField = page.getByLabel('Code d’appairage')
  await expect(codeField).toBeFocused()
  await codeField.fill('ZZZZ-ZZZZ-ZZ')
  await page.getByRole('button', {name: 'Appairer ce PC'}).click()
  await expect(page.getByRole('alert')).toHaveText('Code d’appairage inconnu ou déjà utilisé : demandez-en un nouveau sur le poste principal.')
  await codeField.fill(code.toLowerCase())
  await page.getByRole('button', {name: 'Appairer ce PC'}).click()
  await expect(page.getByRole('status')).toHaveText('Ce poste est appairé : RDV Guichet s’ouvre désormais sur l’agenda du poste principal.')
  await expect(page.getByText('Poste « Borne du hall » (borne d’accueil) de Mairie de Saint-Aubin-sur-Loire.')).toBeVisible()
  await expectAccessible(page)
  await page.getByRole('button', {name: 'Ouvrir l’agenda du poste principal'}).click()
  await expect(page.getByRole('button', {name: /J’ai un rendez-vous/})).toBeVisible()
  expect(await page.evaluate(() => Object.keys((window as any).go.app).sort())).toEqual(['KioskService', 'RemoteService'])
})

/** The kiosk of the paired PC, on its 22-inch portrait touch screen. */
async function kioskPage(browser: Browser): Promise<Page> {
  const ctx = await browser.newContext({viewport: {width: 1080, height: 1920}, hasTouch: true, locale: 'fr-FR', timezoneId: 'Europe/Paris'})
  const page = await ctx.newPage()
  await page.goto(newPc)
  return page
}

test('an usager books at the kiosk poste and checks in: the principal\'s waiting room shows it within 2 s', async ({page, browser}) => {
  const kiosk = await kioskPage(browser)
  const shortCode = await bookToday(kiosk)
  await kiosk.getByRole('button', {name: 'Terminer'}).click()

  await signIn(page)
  await eventsConnected(page)
  await page.getByRole('button', {name: /^Salle d’attente/}).click()
  await expect(page.getByRole('heading', {name: 'Salle d’attente'})).toBeVisible()
  await expect(page.locator('main')).not.toContainText('LEFÈVRE Hélène')

  await kiosk.getByRole('button', {name: /J’ai un rendez-vous/}).click()
  await tap(kiosk, shortCode)
  const shown = msUntilShown(page, 'LEFÈVRE Hélène') // from the usager's tap on « Valider »
  await kiosk.getByRole('button', {name: 'Valider'}).click()
  const ms = await shown
  await expect(kiosk.getByRole('status')).toContainText('votre arrivée est enregistrée')
  await expect(page.getByRole('row', {name: /LEFÈVRE Hélène/})).toBeVisible()
  console.log(`POSTES kiosk poste check-in → principal's waiting room (ms): ${ms}`)
  await kiosk.context().close()
})

test('Paramètres › Postes lists the paired borne; « Révoquer » asks first, then the borne is refused', async ({page}) => {
  await openPostesSettings(page)
  const row = page.getByRole('row', {name: /Borne du hall/})
  await expect(row).toContainText('Appairé')
  await expect(row).toContainText('Borne d’accueil')
  await expect(row.getByRole('cell').nth(3)).toHaveText(/10 mars (2026 )?à 8\u202fh\u202f45/)
  // At 1366 × 768 the paired borne's row and its « Révoquer » are on screen as the tab opens.
  await expect(row).toBeInViewport({ratio: 1})
  await expectAccessible(page)
  await guideShot(page, 'postes-parametres.png')

  await row.getByRole('button', {name: 'Révoquer Borne du hall'}).click()
  const confirm = page.getByRole('group', {name: /Révoquer « Borne du hall » \?/})
  await expect(confirm).toBeVisible()
  await expectAccessible(page)
  await confirm.getByRole('button', {name: 'Annuler'}).click()
  await expect(row).toContainText('Appairé')
  await row.getByRole('button', {name: 'Révoquer Borne du hall'}).click()
  await page.getByRole('button', {name: 'Confirmer la révocation'}).click()
  await expect(row).toContainText('Révoqué')
  await expect(page.locator('.flash')).toHaveText('« Borne du hall » est révoqué : il sera refusé dès son prochain appel.')

  const r = await fetch(`${newPc}__bridge/call`, {method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify({name: 'app.RemoteService.Call', args: ['app.KioskService.Home', []]})})
  expect(JSON.parse((await r.json()).error)).toMatchObject({code: 'poste_revoque'})
})
