import {expect, type Page, test} from '@playwright/test'
import {expectAccessible, goCall, guideShot, signIn} from './helpers'

// The agent's screens as a counter agent uses them at 1366 × 768 (issue 15, items 5 and 6).

type Workspace = {today: string; agents: {id: string; name: string}[]; lieux: {id: string; name: string}[]; motifs: {id: string; name: string; durationMin: number}[]}
type Slot = {start: string; end: string; agentId: string; lieuId: string}

/** A DR Tuesday full of « Retrait de titre » (10 minutes, back to back), booked once per run. */
const DR_DAY = '2026-03-24'
async function fillDrDay(page: Page) {
  const w = await goCall<Workspace>(page, 'Workspace')
  const dr = w.agents.find(a => a.name.startsWith('DR'))!
  const motif = w.motifs.find(m => m.name === 'Retrait de titre')!
  const slots = (await goCall<Slot[]>(page, 'FindSlots', {motifId: motif.id, lieuId: '', agentId: dr.id, from: DR_DAY, documents: 1, limit: 60}))
    .filter(s => s.start.startsWith(DR_DAY) && s.agentId === dr.id)
  const names = ['FOURNIER', 'FAURE', 'GIRARD', 'BONNET', 'DUPONT', 'LAMBERT', 'FONTAINE', 'ROUSSEAU', 'VINCENT', 'MULLER', 'LEFEVRE', 'FAURE',
    'ANDRE', 'MERCIER', 'BLANC', 'GUERIN', 'BOYER', 'GARNIER', 'CHEVALIER', 'FRANCOIS', 'LEGRAND', 'GAUTHIER', 'GARCIA', 'PERRIN']
  for (const [n, s] of slots.entries()) {
    await goCall(page, 'Book', {motifId: motif.id, lieuId: s.lieuId, agentId: dr.id, start: s.start, documents: 1, usagerIds: [], context: '', override: false,
      newUsager: {id: '', firstName: 'Usager' + n, lastName: names[n % names.length], birthName: '', birthDate: '', phone: '', email: '', antsPreDemande: ''}})
  }
  // The day's 10-minute RDVs, those of this test and of an earlier one at another size.
  const day = await goCall<{rdvs: {motifId: string}[]}>(page, 'DayList', {date: DR_DAY, lieuId: '', agentId: dr.id})
  return {dr, count: day.rdvs.filter(r => r.motifId === motif.id).length}
}

/** The text boxes of the grid's RDVs, each with the RDV it belongs to. */
async function textBoxes(page: Page) {
  return page.locator('.rdv-event').evaluateAll(events => events.flatMap((e, k) =>
    [...e.querySelectorAll('.rdv-line')].map(l => { const r = l.getBoundingClientRect(); return {k, text: l.textContent, x: r.x, y: r.y, w: r.width, h: r.height} })))
}

/**
 * The agenda's toolbar holds on one line without overflowing, and each of its choices reads in
 * full: no select is narrower than it is on its own (« Tous les agendas », not « Tous les agenc… »).
 */
async function expectToolbarReadsInFull(page: Page) {
  const nav = page.getByRole('navigation', {name: 'Navigation de l’agenda'})
  expect(await nav.evaluate(n => n.scrollWidth - n.clientWidth)).toBeLessThanOrEqual(0)
  const cut = await nav.locator('select').evaluateAll(selects => selects.flatMap(s => {
    const alone = s.cloneNode(true) as HTMLElement
    alone.style.cssText = 'position: absolute; flex: none; min-width: 0; max-width: none; width: auto'
    s.parentElement!.appendChild(alone)
    const natural = alone.getBoundingClientRect().width
    alone.remove()
    return s.getBoundingClientRect().width < natural - 0.5 ? [`${(s as HTMLSelectElement).selectedOptions[0]?.text}: ${s.getBoundingClientRect().width} < ${natural}`] : []
  }))
  expect(cut).toEqual([])
}

for (const [width, height] of [[1366, 768], [1920, 1080]]) {
  test(`a DR day of back-to-back 10-minute RDVs reads without overlaps at ${width}×${height}`, async ({page}) => {
    await page.setViewportSize({width, height})
    await signIn(page)
    const {count} = await (await fillDrDay(page))
    expect(count).toBeGreaterThanOrEqual(6)
    const goTo = page.getByRole('textbox', {name: 'Aller au'})
    await goTo.fill('24/03/2026')
    await expect(page.getByTestId('current-day')).toHaveText('mardi 24 mars 2026')
    await expect(page.locator('.rdv-event').filter({hasText: 'FOURNIER Usager0'})).toBeVisible()
    // One toolbar line: the controls of the toolbar share one row (their middles within 4 px).
    const middles = await page.getByRole('navigation', {name: 'Navigation de l’agenda'}).locator('button, input, select')
      .evaluateAll(els => els.filter(e => (e as HTMLElement).offsetParent).map(e => { const r = e.getBoundingClientRect(); return r.top + r.height / 2 }))
    expect(Math.max(...middles) - Math.min(...middles)).toBeLessThan(4)
    await expectToolbarReadsInFull(page)
    // No all-day row.
    await expect(page.locator('.fc-daygrid-body')).toHaveCount(0)
    const boxes = await textBoxes(page)
    expect(boxes.length).toBeGreaterThan(count)
    const overlaps = boxes.flatMap((a, i) => boxes.slice(i + 1).filter(b => b.k !== a.k &&
      a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h).map(b => `${a.text} / ${b.text}`))
    expect(overlaps).toEqual([])
    // The first RDV shows its time and name on its line.
    await expect(page.locator('.rdv-event .rdv-line').filter({hasText: /^\d+\u202fh\u202f\d0 FOURNIER/}).first()).toBeVisible()
    // Hour labels on whole hours only.
    const labels = await page.locator('.fc-timegrid-slot-label-cushion').allTextContents()
    expect(labels.filter(Boolean).every(l => /^\d+\u202fh\u202f00$/.test(l))).toBe(true)
    if (width === 1366) {
      // At least 6 hours in view: the grid's visible height over one hour's height.
      const hour = await page.locator('td.fc-timegrid-slot-lane[data-time="10:00:00"]').boundingBox()
      const next = await page.locator('td.fc-timegrid-slot-lane[data-time="11:00:00"]').boundingBox()
      const scroller = await page.locator('.fc-timegrid-body').locator('xpath=ancestor::div[contains(@class,"fc-scroller")][1]').boundingBox()
      expect(scroller!.height / (next!.y - hour!.y)).toBeGreaterThanOrEqual(6)
      await guideShot(page, 'agenda-dr-1366.png')
      await expectAccessible(page)
    }
  })
}

test('the zoom is kept: after a reload the grid has the scale the agent chose', async ({page}) => {
  await page.setViewportSize({width: 1366, height: 768})
  await signIn(page)
  const slot = () => page.locator('td.fc-timegrid-slot-lane[data-time="10:00:00"]').evaluate(e => e.getBoundingClientRect().height)
  const before = await slot()
  await page.getByRole('button', {name: 'Agrandir l’échelle'}).click()
  await expect.poll(slot).toBeGreaterThan(before * 1.4)
  const zoomed = await slot()
  await page.reload()
  await expect(page.locator('.rdv-event').first()).toBeVisible()
  expect(await slot()).toBe(zoomed)
  await page.getByRole('button', {name: 'Réduire l’échelle'}).click()
  await expect.poll(slot).toBe(before)
})

test('the day opens at the current time and the week shows one agenda of seven legible days', async ({page}) => {
  await page.setViewportSize({width: 1366, height: 768})
  await signIn(page)
  // Now is 8 h 45: the 8 h line is in view, and so is noon's.
  await expect(page.locator('.fc-timegrid-now-indicator-line').first()).toBeInViewport()
  await page.getByRole('button', {name: 'Semaine', exact: true}).click()
  await expect(page.locator('.fc-col-header-cell.fc-resource')).toHaveCount(1)
  await expect(page.locator('.fc-col-header-cell.fc-day')).toHaveCount(7)
  const widths = await page.locator('.fc-col-header-cell.fc-day').evaluateAll(els => els.map(e => e.getBoundingClientRect().width))
  expect(Math.min(...widths)).toBeGreaterThan(150)
  await expect(page.getByRole('combobox', {name: 'Agenda', exact: true})).not.toHaveValue('')
  await expectToolbarReadsInFull(page)
  // A 30-minute RDV shows its time and the whole usager's name (at whatever time the specs run
  // before this one, on the same server, left it).
  await expect(page.locator('.rdv-event .rdv-line').filter({hasText: /\d{1,2}\u202fh\u202f\d{2} DAVID Jules/}).first()).toBeVisible()
})

test.describe('on a machine whose language is English', () => {
  test.use({locale: 'en-US'})
  test('every date and time field of the agent’s screens reads French, and none is a native picker', async ({page}) => {
    await page.setViewportSize({width: 1366, height: 768})
    await signIn(page)
    const noNative = async () => expect(await page.locator('input[type=date], input[type=time], input[type=datetime-local]').count()).toBe(0)
    await expect(page.getByLabel('Aller au')).toHaveValue('10/03/2026')
    await page.getByLabel('Aller au').press('ArrowUp')
    await expect(page.getByTestId('current-day')).toHaveText('mercredi 11 mars 2026')
    await page.getByLabel('Aller au').fill('31/02/2026')
    await page.getByLabel('Aller au').blur()
    await expect(page.getByText('Date attendue sous la forme jj/mm/aaaa, par exemple 10/03/2026.')).toBeVisible()
    await expect(page.getByTestId('current-day')).toHaveText('mercredi 11 mars 2026')
    await noNative()
    await page.getByRole('button', {name: 'Trouver un créneau'}).click()
    const panel = page.getByRole('complementary', {name: 'Nouveau rendez-vous'})
    await expect(panel.getByLabel('À partir du')).toHaveValue('11/03/2026')
    await panel.getByRole('button', {name: 'Nouvel usager'}).click()
    await panel.getByLabel('Date de naissance (facultative)').pressSequentially('03041980')
    await expect(panel.getByLabel('Date de naissance (facultative)')).toHaveValue('03/04/1980')
    await noNative()
    await page.getByRole('button', {name: 'Liste du jour'}).click()
    await expect(page.getByLabel('Jour', {exact: true})).toHaveValue('10/03/2026')
    await noNative()
    await page.getByRole('button', {name: 'Paramètres'}).click()
    await page.getByRole('button', {name: 'Plages d’ouverture'}).click()
    await expect(page.locator('table.list td').filter({hasText: /^\d{1,2}\u202fh\u202f\d\d – \d{1,2}\u202fh\u202f\d\d$/}).first()).toBeVisible()
    await page.getByRole('button', {name: /^Modifier/}).first().click()
    const plage = page.getByRole('form', {name: 'Modifier la plage'})
    await expect(plage.getByLabel('Premier jour')).toHaveValue(/^\d\d\/\d\d\/\d{4}$/)
    await expect(plage.getByLabel('Début').first()).toHaveValue(/^\d{1,2}\u202fh\u202f\d\d$/)
    await plage.getByLabel('Fin').first().fill('12:30')
    await plage.getByLabel('Fin').first().blur()
    await expect(plage.getByLabel('Fin').first()).toHaveValue('12\u202fh\u202f30')
    await noNative()
    await plage.getByRole('button', {name: 'Annuler'}).click()
    await page.getByRole('button', {name: 'Absences'}).click()
    await page.getByRole('button', {name: 'Ajouter une absence'}).click()
    const absence = page.getByRole('form', {name: 'Nouvelle absence'})
    await expect(absence.getByLabel('Premier jour')).toHaveValue('10/03/2026')
    await expect(absence.getByLabel('De', {exact: true})).toHaveValue('0\u202fh\u202f00')
    await expect(absence.getByLabel(/^À \(24/)).toHaveValue('24\u202fh\u202f00')
    await noNative()
    await expectAccessible(page)
  })
})

type Form = Record<string, unknown>
const once = {every: '', interval: 1, weekdays: [], nth: 0, weekday: 0, until: ''}

test('deleting a plage or an absence asks first, and says what it did', async ({page}) => {
  await signIn(page)
  const w = await goCall<Workspace>(page, 'Workspace')
  const karim = w.agents.find(a => a.name === 'Karim Benali')!
  await goCall(page, 'SavePlage', {id: '', agentId: karim.id, lieuId: w.lieux[0].id, title: 'Plage à supprimer', motifIds: [w.motifs[0].id], firstDay: '2026-06-02',
    start: '14:00', end: '15:00', recurrence: once, exceptions: [], canal: 'guichet'} as Form)
  await goCall(page, 'SaveAbsence', {id: '', agentId: karim.id, title: 'Absence à supprimer', firstDay: '2026-06-03', endDay: '', start: '14:00', end: '15:00', recurrence: once} as Form)
  await page.getByRole('button', {name: 'Paramètres'}).click()
  await page.getByRole('button', {name: 'Plages d’ouverture'}).click()
  const row = page.locator('table.list tr', {hasText: 'Plage à supprimer'})
  await row.getByRole('button', {name: 'Supprimer Plage à supprimer'}).click()
  const dialog = page.getByRole('dialog', {name: 'Supprimer la plage « Plage à supprimer » ?'})
  await expect(dialog).toContainText('14\u202fh\u202f00 – 15\u202fh\u202f00')
  await expect(dialog.getByRole('button', {name: 'Garder la plage'})).toBeFocused()
  await expectAccessible(page)
  await page.keyboard.press('Escape')
  await expect(dialog).toHaveCount(0)
  await expect(row).toHaveCount(1)
  await row.getByRole('button', {name: 'Supprimer Plage à supprimer'}).click()
  await dialog.getByRole('button', {name: 'Supprimer la plage'}).click()
  await expect(row).toHaveCount(0)
  await expect(page.getByRole('status').filter({hasText: 'supprimée'})).toHaveText('Plage « Plage à supprimer » supprimée.')

  await page.getByRole('button', {name: 'Absences'}).click()
  const arow = page.locator('table.list tr', {hasText: 'Absence à supprimer'})
  await arow.getByRole('button', {name: 'Supprimer Absence à supprimer'}).click()
  const adialog = page.getByRole('dialog', {name: 'Supprimer l’absence « Absence à supprimer » ?'})
  await expectAccessible(page)
  await adialog.getByRole('button', {name: 'Supprimer l’absence'}).click()
  await expect(arow).toHaveCount(0)
  await expect(page.getByRole('status').filter({hasText: 'supprimée'})).toHaveText('Absence « Absence à supprimer » supprimée.')
})

test('a new usager with the name and phone of a known one: « C’est la même personne ? » books the known one', async ({page}) => {
  await signIn(page)
  const [known] = await goCall<{id: string; lastName: string; firstName: string; phone: string}[]>(page, 'SearchUsagers', 'DAVID Jules')
  expect(known.phone).not.toBe('')
  await page.getByRole('button', {name: 'Trouver un créneau'}).click()
  const panel = page.getByRole('complementary', {name: 'Nouveau rendez-vous'})
  await panel.getByLabel('Motif').selectOption({label: 'Aide CAF (prestations, dossier) (30\u202fmin)'})
  await panel.getByRole('button', {name: 'Chercher les prochains créneaux'}).click()
  await panel.getByRole('list', {name: 'Créneaux libres'}).getByRole('button').first().click()
  await panel.getByRole('button', {name: 'Nouvel usager'}).click()
  await panel.getByLabel('Nom', {exact: true}).fill('David')
  await panel.getByLabel('Prénom').fill('jules')
  await panel.getByLabel('Téléphone').fill(known.phone)
  await panel.getByRole('button', {name: 'Confirmer le rendez-vous'}).click()
  const dialog = page.getByRole('dialog', {name: 'C’est la même personne ?'})
  await expect(dialog.getByRole('button', {name: /^Oui, c’est DAVID Jules/})).toBeVisible()
  await expectAccessible(page)
  await dialog.getByRole('button', {name: /^Oui, c’est DAVID Jules/}).click()
  await expect(page.getByRole('status').filter({hasText: 'Rendez-vous enregistré'})).toContainText('pour DAVID Jules')
  const rdv = page.getByRole('complementary', {name: 'Rendez-vous'})
  await expect(rdv.getByRole('heading', {level: 2})).toContainText('DAVID Jules')
  // No second Arthur Roussel.
  expect((await goCall<unknown[]>(page, 'SearchUsagers', 'DAVID Jules')).length).toBe(1)
})

test('waiting room and day list follow the statuses: no « Lapin » once arrived, arrivals from the list, « Imprimé sur … »', async ({page}) => {
  await signIn(page)
  await page.getByRole('button', {name: /^Salle d’attente/}).click()
  const waiting = page.locator('table.list tbody tr').first()
  await expect(waiting).toBeVisible()
  await expect(waiting.getByRole('button', {name: /Lapin/})).toHaveCount(0)
  await expect(waiting.getByRole('button', {name: /^Annuler le rendez-vous/})).toBeVisible()

  await page.getByRole('button', {name: 'Liste du jour'}).click()
  await expect(page.locator('.daylist tbody tr').first()).toBeVisible()
  const rows = page.locator('.daylist tbody tr')
  const n = await rows.evaluateAll(trs => trs.findIndex(tr => [...tr.querySelectorAll('button')].some(b => b.textContent === 'Arrivé')))
  const who = (await rows.nth(n).locator('td').nth(1).textContent())!
  await rows.nth(n).getByRole('button', {name: 'Arrivé', exact: true}).click()
  await expect(page.getByRole('status').filter({hasText: 'Arrivée de'})).toHaveText(`Arrivée de ${who} enregistrée à 8\u202fh\u202f45.`)
  await expect(rows.nth(n).getByRole('button', {name: 'Arrivé', exact: true})).toHaveCount(0)
  await expect(rows.nth(n)).toContainText('Arrivé à 8\u202fh\u202f45')
  await expectAccessible(page)
  // « Titres » is written for passports and CNI only.
  const caf = page.locator('.daylist tbody tr', {hasText: 'Aide CAF'}).first()
  await expect(caf.locator('td').nth(4)).toHaveText('')
  await page.getByRole('button', {name: 'Imprimer'}).click()
  await expect(page.getByRole('status').filter({hasText: 'Liste imprimée'})).toContainText('Liste imprimée sur l’imprimante par défaut.')
  await expect(page.getByTestId('file-path')).toHaveCount(0)
})

test('Paramètres opens on its first tab, with neutral role words and a French file picker', async ({page}) => {
  await signIn(page)
  await expect(page.getByText('Claire Martin (droits d’administration)')).toBeVisible()
  await page.getByRole('button', {name: 'Paramètres'}).click()
  await expect(page.getByRole('navigation', {name: 'Rubriques des paramètres'}).getByRole('button').first()).toHaveAttribute('aria-current', 'page')
  await expect(page.getByRole('form', {name: 'Organisation'})).toBeVisible()
  const logo = page.getByRole('group', {name: 'Logo (image PNG, 1 Mo au plus)'})
  await expect(logo.getByRole('button', {name: 'Choisir un fichier…'})).toBeVisible()
  await expect(logo).toContainText('Aucun fichier choisi')
  await expectAccessible(page)
})
