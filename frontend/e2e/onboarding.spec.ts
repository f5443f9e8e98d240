import {expect, type Page, test} from '@playwright/test'
import {type ChildProcess, execFileSync, spawn} from 'node:child_process'
import {existsSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {expectAccessible, goCall, guideShot, kioskCall} from './helpers'

// The first start (issue 14): a new data file opens on the chooser; the assistant « Configurer ma
// commune » with the mairie's templates ends on an agenda where a CNI slot is booked at the
// counter and at the kiosk; leaving the demo starts empty and keeps the demo's backup. Servers of
// their own on new files (e2eserve -vide), E2E_ONBOARDING_PORT or eight above E2E_PORT: the
// agents' window, the kiosk on the same file, and a third window for the demo. The e2eserve clock
// is 2026-03-10 08:45 Paris, a Tuesday. Screenshots at 1366×768 go to docs/guide/premier-demarrage/
// (UPDATE_DOCS=1).

const agentsPort = Number(process.env.E2E_ONBOARDING_PORT || Number(process.env.E2E_PORT || 34116) + 8)
const kioskPort = agentsPort + 1
const demoPort = agentsPort + 2
const PASSWORD = 'champvert-2026'

let dir = ''
let bin = ''
const servers: ChildProcess[] = []

test.use({viewport: {width: 1366, height: 768}})

test.beforeAll(async () => {
  test.setTimeout(240_000)
  dir = mkdtempSync(path.join(tmpdir(), 'rdv-premier-'))
  bin = path.join(dir, 'e2eserve')
  execFileSync('go', ['build', '-o', bin, './app/e2eserve'], {cwd: '..', stdio: 'inherit'})
})

test.afterAll(async () => {
  await Promise.all(servers.splice(0).map(s => new Promise(done => { s.once('exit', done); s.kill() })))
  if (dir) rmSync(dir, {recursive: true, force: true})
})

async function serve(port: number, db: string, ...flags: string[]) {
  const s = spawn(bin, ['-addr', `127.0.0.1:${port}`, '-db', db, '-vide', '-central', '', ...flags], {cwd: '..', stdio: 'inherit'})
  servers.push(s)
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await new Promise(r => setTimeout(r, 200))) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/`)).ok) return
    } catch { /* not listening yet */ }
  }
  throw new Error(`e2eserve on port ${port} did not start`)
}

/** Checks the step with axe-core and photographs it for the guide. */
async function stepShot(page: Page, name: string) {
  await expectAccessible(page)
  await guideShot(page, `premier-demarrage/${name}.png`)
}

const next = (page: Page) => page.getByRole('button', {name: 'Enregistrer et continuer'}).click()
const step = (page: Page, title: string) => expect(page.getByRole('heading', {level: 2, name: title})).toBeVisible()

/** Calls a KioskService method in the kiosk's process, as its screens do. */
const kiosk = <T>(method: string, ...args: unknown[]) => kioskCall<T>(kioskPort, method, ...args)

test('from an empty file, the assistant with the mairie templates ends on an agenda where a CNI is booked at the counter and at the kiosk', async ({page}) => {
  test.setTimeout(120_000)
  const db = path.join(dir, 'champvert.sqlite')
  await serve(agentsPort, db)
  await page.goto(`http://127.0.0.1:${agentsPort}/`)

  await expect(page.getByRole('heading', {name: 'Bienvenue dans RDV Guichet'})).toBeVisible()
  await stepShot(page, '01-choix')
  await page.getByRole('button', {name: 'Configurer ma commune'}).click()

  await step(page, 'Votre organisation')
  await page.getByLabel('Nom', {exact: true}).fill('Mairie de Champvert')
  await page.getByLabel('Adresse', {exact: true}).fill('2 place de l’Église')
  await page.getByLabel('Code postal').fill('57430')
  await page.getByLabel('Commune', {exact: true}).fill('Champvert')
  await page.getByLabel('Téléphone').fill('03 87 00 00 00')
  await page.getByLabel('Adresse e-mail').fill('accueil@champvert.fr')
  await expect(page.getByTestId('place-note')).toContainText('Alsace-Moselle')
  await stepShot(page, '02-organisation')
  await next(page)

  await step(page, 'Vos lieux d’accueil')
  await expect(page.getByLabel('Nom du lieu')).toHaveValue('Mairie')
  await expect(page.getByLabel('Adresse', {exact: true})).toHaveValue('2 place de l’Église')
  await page.getByLabel('Accessibilité').fill('Entrée de plain-pied par la cour ; bureau des titres au rez-de-chaussée.')
  await stepShot(page, '03-lieux')
  await next(page)

  await step(page, 'Vos agendas')
  await page.getByLabel('Prénom et nom').fill('Sophie Marchal')
  await page.getByLabel('Identifiant de connexion').fill('sophie')
  await page.getByLabel('Adresse e-mail').fill('sophie.marchal@champvert.fr')
  await page.getByLabel('Mot de passe', {exact: true}).fill(PASSWORD)
  await page.getByLabel('Confirmez le mot de passe').fill(PASSWORD)
  await page.getByRole('button', {name: 'Ajouter un agent'}).click()
  await page.getByLabel('Prénom et nom').nth(1).fill('Paul Weber')
  await page.getByLabel('Identifiant de connexion').nth(1).fill('paul')
  await page.getByRole('button', {name: 'Ajouter un guichet ou un DR'}).click()
  await expect(page.getByLabel('Nom du guichet')).toHaveValue('DR — titres d’identité')
  await stepShot(page, '04-agendas')
  await next(page)

  await step(page, 'Vos motifs de rendez-vous')
  // A mairie gets the titres d'identité and the état civil ticked; this one keeps the titres.
  await page.getByLabel(/État civil/).uncheck()
  await expect(page.getByLabel('Motif', {exact: true})).toHaveCount(4)
  await expect(page.getByLabel('Motif', {exact: true}).first()).toHaveValue('Carte d’identité')
  await page.getByText('Pièces à fournir, consignes, catégorie ANTS').first().click()
  await expect(page.getByLabel('Catégorie ANTS').first()).toHaveValue('CNI')
  // The passeport is also booked online (issue 14 leftovers, #1).
  await page.locator('.assistant-motifs > li').nth(1).getByLabel('En ligne').check()
  await stepShot(page, '05-motifs')
  await next(page)

  await step(page, 'Vos horaires d’ouverture')
  // The DR is open Monday to Saturday mornings; the agents keep the weekdays.
  await page.getByLabel('DR — titres d’identité : samedi matin', {exact: true}).check()
  // Times read French whatever the browser's locale (issue 15, #6): no native time field.
  await expect(page.locator('input[type="time"], input[type="date"]')).toHaveCount(0)
  await expect(page.getByLabel('Matin : de').first()).toHaveValue('9\u202fh\u202f00')
  // The passeport is open online: the afternoons are proposed online, the mornings stay at the
  // counter; the DR keeps its Monday and Friday afternoons at the counter too.
  await expect(page.getByLabel('DR — titres d’identité : mardi après-midi en ligne')).toBeChecked()
  await expect(page.getByLabel('DR — titres d’identité : mardi matin en ligne')).not.toBeChecked()
  await expect(page.getByLabel('DR — titres d’identité : samedi matin en ligne')).toBeEnabled()
  await expect(page.getByLabel('DR — titres d’identité : samedi après-midi en ligne')).toBeDisabled()
  for (const d of ['lundi', 'vendredi']) await page.getByLabel(`DR — titres d’identité : ${d} après-midi en ligne`).uncheck()
  // With a DR, the identity motifs are proposed on it only: one device, one RDV at a time.
  const sophie = page.getByRole('group', {name: 'Sophie Marchal'})
  await expect(sophie.getByLabel('Carte d’identité', {exact: true})).not.toBeChecked()
  await expect(sophie.getByLabel('Retrait de titre')).toBeChecked()
  await stepShot(page, '06-horaires')
  await next(page)

  await step(page, 'Rappels aux usagers (facultatif)')
  await expect(page.getByRole('heading', {name: 'Tester l’envoi'})).toBeVisible()
  await stepShot(page, '07-rappels')
  await page.getByRole('button', {name: 'Passer cette étape'}).click()
  await step(page, 'Imprimantes (facultatif)')
  await stepShot(page, '08-impression')
  await page.getByRole('button', {name: 'Continuer'}).click()
  await step(page, 'Serveur central (facultatif)')
  await stepShot(page, '09-serveur')
  await page.getByRole('button', {name: 'Terminer et ouvrir l’agenda'}).click()

  // The agenda, ready to book, the administrator signed in; the day's plages are there.
  await expect(page.locator('.topbar .org')).toHaveText('Mairie de Champvert')
  await expect(page.locator('.topbar .who')).toHaveText('Sophie Marchal (droits d’administration)')
  await expectAccessible(page)
  await guideShot(page, 'premier-demarrage/10-agenda.png')

  // The DR's online half-days are plages sold online (en_ligne), offering the passeport only;
  // its counter plages leave them out.
  type Plage = {agentId: string; title: string; canal: string; motifIds: string[]; recurrence: {weekdays: number[]}}
  const set = await goCall<{plages: Plage[]; agents: {id: string; name: string}[]; motifs: {id: string; name: string}[]}>(page, 'Settings')
  const dr = set.agents.find(a => a.name === 'DR — titres d’identité')!.id
  const motif = (id: string) => set.motifs.find(m => m.id === id)!.name
  const drPlages = set.plages.filter(p => p.agentId === dr).map(p => `${p.title} ${p.canal} ${p.recurrence.weekdays.join('')} ${p.motifIds.map(motif).sort().join(', ')}`).sort()
  expect(drPlages).toEqual([
    'Après-midi en ligne en_ligne 234 Passeport',
    'Après-midi guichet 15 Carte d’identité, Carte d’identité + passeport, Passeport, Retrait de titre',
    'Matin guichet 123456 Carte d’identité, Carte d’identité + passeport, Passeport, Retrait de titre',
  ])

  // A CNI at the counter.
  await page.getByRole('button', {name: 'Trouver un créneau'}).click()
  const panel = page.getByRole('complementary', {name: 'Nouveau rendez-vous'})
  await panel.getByLabel('Motif').selectOption({label: 'Carte d’identité (20\u202fmin)'})
  await panel.getByRole('button', {name: 'Chercher les prochains créneaux'}).click()
  await panel.getByRole('list', {name: 'Créneaux libres'}).getByRole('button').first().click()
  await panel.getByRole('button', {name: 'Nouvel usager'}).click()
  await panel.getByLabel('Nom', {exact: true}).fill('Keller')
  await panel.getByLabel('Prénom').fill('Anne')
  await panel.getByLabel('Téléphone').fill('06 12 34 56 78')
  await panel.getByRole('button', {name: 'Confirmer le rendez-vous'}).click()
  await expect(page.getByRole('status').filter({hasText: 'Rendez-vous enregistré'})).toBeVisible()

  // A CNI at the kiosk, on the same file: the motif is open there, with its slots.
  await serve(kioskPort, db, '-borne')
  const home = await kiosk<{motifs: {id: string; name: string}[]}>('Home')
  const cni = home.motifs.find(m => m.name === 'Carte d’identité')
  expect(cni, 'the CNI motif is offered at the kiosk').toBeTruthy()
  const times = await kiosk<{start: string; lieuId: string}[]>('Times', cni!.id, '2026-03-10', 1)
  expect(times.length).toBeGreaterThan(0)
  const res = await kiosk<{ticket?: {shortCode: string}; message: string}>('Book', {
    motifId: cni!.id, start: times[0].start, lieuId: times[0].lieuId, documents: 1,
    lastName: 'Muller', firstName: 'Jean', phone: '0612345679', preDemandes: ['AB12CD34EF'],
  })
  expect(res.message).toBe('')
  expect(res.ticket?.shortCode).toBeTruthy()
  // The kiosk's RDV reaches the agent's agenda.
  await expect(page.locator('.rdv-event').filter({hasText: 'MULLER'})).toBeVisible({timeout: 10_000})
  await expect(page.locator('.rdv-event').filter({hasText: 'KELLER'})).toBeVisible()
})

test('leaving the demo keeps its backup and starts from an empty file, on the chooser', async ({page}) => {
  test.setTimeout(120_000)
  await serve(demoPort, path.join(dir, 'demo.sqlite'))
  await page.goto(`http://127.0.0.1:${demoPort}/`)
  await page.getByRole('button', {name: 'Découvrir avec une commune de démonstration'}).click()
  await expect(page.getByRole('region', {name: 'Démonstration'})).toBeVisible({timeout: 60_000})
  await page.getByLabel('Identifiant').fill('claire')
  await page.getByLabel('Mot de passe').fill('demo-guichet')
  await page.getByRole('button', {name: 'Se connecter'}).click()
  await expect(page.locator('.rdv-event').first()).toBeVisible()
  const banner = page.getByRole('region', {name: 'Démonstration'})
  await expect(banner).toContainText('commune et usagers fictifs')
  await banner.getByRole('button', {name: 'Quitter la démonstration'}).click()
  await expectAccessible(page)
  await guideShot(page, 'premier-demarrage/11-quitter-la-demonstration.png')
  await banner.getByRole('button', {name: 'Quitter et repartir à vide'}).click()

  await expect(page.getByRole('heading', {name: 'Bienvenue dans RDV Guichet'})).toBeVisible()
  const notice = page.getByRole('status').filter({hasText: 'Démonstration quittée'})
  await expect(notice).toBeVisible()
  const backup = (await notice.textContent())!.match(/gardée dans (.*\.sqlite)/)![1]
  expect(existsSync(backup), backup).toBe(true)
  expect(path.dirname(backup)).toBe(dir)
  await expect(page.getByRole('region', {name: 'Démonstration'})).toHaveCount(0)
  await expectAccessible(page)
})
