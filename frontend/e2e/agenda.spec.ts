import {expect, type Locator, type Page, test} from '@playwright/test'
import {heure} from '../src/shared/format'
import {expectAccessible, goCall, goError, goRefusal, guideShot, signIn} from './helpers'

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
  await expect(page.getByText('Claire Martin (droits d’administration)')).toBeVisible()
  await expect(page.getByTestId('current-day')).toHaveText('mardi 10 mars 2026')
  for (const name of ['Claire Martin', 'Karim Benali', "DR — titres d’identité"]) {
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
  const refusal = await goRefusal(page, 'Agenda', {start: '2026-03-10', end: '2026-03-11', lieuId: '', agentIds: [], includeCancelled: false})
  expect(refusal.code).toBe('signed_out')
  const message = refusal.message
  expect(message).toBe('Session terminée : reconnectez-vous.')
})

test('a failing Go call shows its French message', async ({page}) => {
  await signIn(page)
  const message = await goError(page, 'Agenda', {start: '2026-03-12', end: '2026-03-10', lieuId: '', agentIds: [], includeCancelled: false})
  expect(message).toContain('Période d’agenda invalide')
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

type Rdv = {id: string; start: string; end: string; agentIds: string[]; motifId: string; lieuId: string; documents: number
  usagers: string[]; status: string; started: boolean; arrivedAt: string}

/** Today's RDVs in full (the grid's Agenda sends only what it draws), from Go: the day list's. */
async function todaysRdvs(page: Page): Promise<Rdv[]> {
  const v = await goCall<{rdvs: Rdv[]}>(page, 'DayList', {date: '2026-03-10', lieuId: '', agentId: ''})
  return v.rdvs
}

/** RDVs that can be dragged on the 10-minute grid: upcoming, one agenda, one usager, on a 10-minute mark. */
const movable = (r: Rdv) => r.status === 'unknown' && !r.started && !r.arrivedAt && r.agentIds.length === 1 && r.usagers.length === 1 &&
  Number(r.start.slice(14, 16)) % 10 === 0

/** An RDV's event in the grid, by its time and usager. */
const eventAt = (page: Page, r: Rdv, start = r.start) => page.locator('.rdv-event').filter({hasText: `${heure(start)} ${r.usagers[0]}`})

/** Drags an event by its first 10 minutes to time (HH:MM, Paris) in an agenda's column, with the mouse. */
async function dragTo(page: Page, event: Locator, agentId: string, time: string) {
  const from = (await event.boundingBox())!
  const lane = (await page.locator(`td.fc-timegrid-slot-lane[data-time="${time}:00"]`).boundingBox())!
  const column = (await page.locator(`.fc-timegrid-col[data-resource-id="${agentId}"]`).boundingBox())!
  await page.mouse.move(from.x + from.width / 2, from.y + 4)
  await page.mouse.down()
  await page.mouse.move(column.x + column.width / 2, lane.y + 4, {steps: 15})
  await page.mouse.up()
}

test('drag and drop moves an RDV to a free time of its agenda; the grid and its panel show the new time', async ({page}) => {
  await page.setViewportSize({width: 1280, height: 1900}) // the whole day without scrolling
  await signIn(page)
  let rdv: Rdv | undefined
  let slot: {start: string; agentId: string} | undefined
  for (const r of (await todaysRdvs(page)).filter(movable)) {
    const slots = await goCall<{start: string; agentId: string}[]>(page, 'FindSlots',
      {motifId: r.motifId, lieuId: r.lieuId, agentId: r.agentIds[0], from: '2026-03-10', documents: r.documents, limit: 40})
    slot = slots.find(s => s.start.startsWith('2026-03-10') && Number(s.start.slice(14, 16)) % 10 === 0 && s.agentId === r.agentIds[0])
    if (slot) { rdv = r; break }
  }
  expect(rdv, 'an RDV with a free time the same day').toBeTruthy()
  await expect(eventAt(page, rdv!)).toBeVisible()
  await dragTo(page, eventAt(page, rdv!), rdv!.agentIds[0], slot!.start.slice(11, 16))
  await expect(page.getByRole('status').filter({hasText: 'Rendez-vous déplacé'})).toHaveText(`Rendez-vous déplacé au mardi 10 mars 2026 à ${heure(slot!.start)}.`)
  await expect(eventAt(page, rdv!, slot!.start)).toBeVisible()
  await expect(eventAt(page, rdv!)).toHaveCount(0)
  await eventAt(page, rdv!, slot!.start).click()
  const panel = page.getByRole('complementary', {name: 'Rendez-vous'})
  await expect(panel.getByRole('heading', {level: 2})).toHaveText(`${heure(slot!.start)} — ${rdv!.usagers[0]}`)
  await expect(panel.locator('dd').first()).toContainText(`mardi 10 mars à ${heure(slot!.start)}`)
  expect((await goCall<{rdv: Rdv}>(page, 'RdvDetail', rdv!.id)).rdv.start).toBe(slot!.start)
})

test('a drop onto another RDV is refused with the next free slots, and the RDV stays in place', async ({page}) => {
  await page.setViewportSize({width: 1280, height: 1900})
  await signIn(page)
  const rdvs = (await todaysRdvs(page)).filter(movable)
  // Two RDVs of one motif in one agenda: the second one's time is in a plage open to the first.
  const pair = rdvs.flatMap(a => rdvs.filter(b => b.id !== a.id && b.agentIds[0] === a.agentIds[0] && b.motifId === a.motifId &&
    (b.start >= a.end || b.end <= a.start)).map(b => [a, b] as const))[0]
  expect(pair, 'two RDVs of one motif in one agenda').toBeTruthy()
  const [a, b] = pair
  await dragTo(page, eventAt(page, a), a.agentIds[0], b.start.slice(11, 16))
  const refused = page.getByRole('complementary', {name: 'Déplacement refusé'})
  await expect(refused.getByRole('alert')).toHaveText('Ce créneau vient d’être pris. Voici les prochains créneaux libres :')
  await expect(refused.getByRole('list', {name: 'Prochains créneaux libres'}).getByRole('button').first()).toBeVisible()
  await expect(eventAt(page, a)).toBeVisible()
  await expect(eventAt(page, b)).toBeVisible()
  expect((await goCall<{rdv: Rdv}>(page, 'RdvDetail', a.id)).rdv.start).toBe(a.start)
  await expectAccessible(page)
})

test('booking by keyboard from an agenda’s column, with the usager’s phone corrected on the way', async ({page}) => {
  await signIn(page)
  const karim = (await goCall<{agents: {id: string; name: string}[]}>(page, 'Workspace')).agents.find(a => a.name === 'Karim Benali')!
  await page.getByRole('button', {name: 'Réserver dans l’agenda Karim Benali'}).focus()
  await page.keyboard.press('Enter')
  const panel = page.getByRole('complementary', {name: 'Nouveau rendez-vous'})
  await expect(panel.getByLabel('Motif')).toBeFocused()
  await expect(panel.getByLabel('Agenda')).toHaveValue(karim.id)
  await panel.getByLabel('Motif').selectOption({label: 'Aide CAF (prestations, dossier) (30\u202fmin)'})
  await panel.getByRole('button', {name: 'Chercher les prochains créneaux'}).focus()
  await page.keyboard.press('Enter')
  const slots = panel.getByRole('list', {name: 'Créneaux libres'}).getByRole('button')
  await expect(slots.first()).toContainText('Karim Benali')
  await slots.first().focus()
  await page.keyboard.press('Enter')
  await expect(panel.getByTestId('picked-slot')).toContainText('Karim Benali')

  await panel.getByLabel('Rechercher un usager').fill('bernard')
  await panel.getByRole('list', {name: 'Usagers trouvés'}).getByRole('button').first().focus()
  await page.keyboard.press('Enter')
  await panel.getByRole('button', {name: 'Modifier le téléphone ou l’e-mail'}).focus()
  await page.keyboard.press('Enter')
  await expect(panel.getByLabel('Téléphone')).toBeFocused()
  await page.keyboard.press('ControlOrMeta+a')
  await page.keyboard.type('06 12')
  await panel.getByLabel('E-mail').fill('pas-une-adresse')
  await panel.getByRole('button', {name: 'Enregistrer les coordonnées'}).click()
  await expect(panel.getByText('Le numéro de téléphone n’est pas valide (par exemple 06 12 34 56 78).')).toBeVisible()
  await expect(panel.getByLabel('Téléphone')).toHaveAttribute('aria-invalid', 'true')
  await expect(panel.getByLabel('E-mail')).toHaveAttribute('aria-invalid', 'true')
  await expectAccessible(page)
  await panel.getByLabel('Téléphone').fill('06 55 44 33 22')
  await panel.getByLabel('E-mail').fill('')
  await panel.getByRole('button', {name: 'Enregistrer les coordonnées'}).click()
  await expect(panel.getByRole('status').filter({hasText: 'Coordonnées de l’usager enregistrées.'})).toBeVisible()
  await expect(panel.locator('.picked', {hasText: 'Changer d’usager'})).toContainText('06 55 44 33 22')

  await panel.getByRole('button', {name: 'Confirmer le rendez-vous'}).focus()
  await page.keyboard.press('Enter')
  await expect(page.getByRole('status').filter({hasText: 'Rendez-vous enregistré'})).toBeVisible()
  const rdv = page.getByRole('complementary', {name: 'Rendez-vous'})
  await expect(rdv.getByRole('link', {name: '06\u00a055\u00a044\u00a033\u00a022'})).toBeVisible()
  await expect(rdv.getByText('Karim Benali')).toBeVisible()
})
