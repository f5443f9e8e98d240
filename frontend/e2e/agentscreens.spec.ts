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
  return {dr, count: slots.length}
}

/** The text boxes of the grid's RDVs, each with the RDV it belongs to. */
async function textBoxes(page: Page) {
  return page.locator('.rdv-event').evaluateAll(events => events.flatMap((e, k) =>
    [...e.querySelectorAll('.rdv-line')].map(l => { const r = l.getBoundingClientRect(); return {k, text: l.textContent, x: r.x, y: r.y, w: r.width, h: r.height} })))
}

for (const [width, height] of [[1366, 768], [1920, 1080]]) {
  test(`a DR day of back-to-back 10-minute RDVs reads without overlaps at ${width}×${height}`, async ({page}) => {
    await page.setViewportSize({width, height})
    await signIn(page)
    const {count} = await (await fillDrDay(page))
    expect(count).toBeGreaterThan(10)
    const goTo = page.getByRole('textbox', {name: 'Aller au'})
    await goTo.fill('24/03/2026')
    await expect(page.getByTestId('current-day')).toHaveText('mardi 24 mars 2026')
    await expect(page.locator('.rdv-event').filter({hasText: 'FOURNIER'})).toBeVisible()
    // One toolbar line: every control of the toolbar on the first control's row.
    const tops = await page.getByRole('navigation', {name: 'Navigation de l\'agenda'}).locator('button, input, select')
      .evaluateAll(els => els.filter(e => (e as HTMLElement).offsetParent).map(e => Math.round(e.getBoundingClientRect().top)))
    expect(Math.max(...tops) - Math.min(...tops)).toBeLessThan(8)
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
  await expect(page.locator('.fc-timegrid-now-indicator-line')).toBeInViewport()
  await page.getByRole('button', {name: 'Semaine', exact: true}).click()
  await expect(page.locator('.fc-col-header-cell.fc-resource')).toHaveCount(1)
  await expect(page.locator('.fc-col-header-cell.fc-day')).toHaveCount(7)
  const widths = await page.locator('.fc-col-header-cell.fc-day').evaluateAll(els => els.map(e => e.getBoundingClientRect().width))
  expect(Math.min(...widths)).toBeGreaterThan(150)
  await expect(page.getByLabel('Agenda', {exact: true})).not.toHaveValue('')
  // A 30-minute RDV shows its time and the whole usager's name.
  await expect(page.locator('.rdv-event .rdv-line').filter({hasText: '9\u202fh\u202f00 DAVID Jules'})).toBeVisible()
})
