import {expect, test} from '@playwright/test'
import type {ChildProcess} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {eventsConnected, kioskCall, msUntilShown, signIn} from './helpers'
import {buildServer, serve, stop, up} from './processes'

// Live (issue 12, item 6): what the lobby kiosk writes reaches the agent's screens within 2 s,
// pushed by Go (app.Hub → the bridge's event stream → EventsOn « donnees-modifiees »), not by
// polling. Two real processes on one data file, as on the office's PC: the agents' window and the
// kiosk (e2eserve -borne), started here on ports of their own (E2E_LIVE_PORT, by default five
// above E2E_PORT). The kiosk is driven through its bindings: its screens have their own spec.
// Each check starts right after the agent's screen has loaded, so that the 5-second polling of the
// past could not pass it: the fallback polling is now 30 s.

const agentsPort = Number(process.env.E2E_LIVE_PORT || Number(process.env.E2E_PORT || 34116) + 5)
const kioskPort = agentsPort + 1
const today = '2026-03-10'

let dir = ''
const servers: ChildProcess[] = []

test.use({baseURL: `http://127.0.0.1:${agentsPort}`})

test.beforeAll(async () => {
  test.setTimeout(240_000)
  dir = mkdtempSync(path.join(tmpdir(), 'rdv-live-'))
  const bin = buildServer(dir)
  const db = path.join(dir, 'bureau.sqlite')
  servers.push(serve(bin, agentsPort, ['-db', db])) // creates the demo in the file
  await up(agentsPort)
  servers.push(serve(bin, kioskPort, ['-db', db, '-borne']))
  await up(kioskPort)
})

test.afterAll(async () => {
  await stop(servers)
  if (dir) rmSync(dir, {recursive: true, force: true})
})

/** Calls a KioskService method in the kiosk's process, as its screens do. */
const kiosk = <T>(method: string, ...args: unknown[]) => kioskCall<T>(kioskPort, method, ...args)

type Time = {start: string; lieuId: string}

/** The kiosk's free times today for « Retrait de titre » (no pré-demande to type). */
async function kioskTimes(): Promise<{motifId: string; times: Time[]}> {
  const home = await kiosk<{motifs: {id: string; name: string}[]}>('Home')
  const motifId = home.motifs.find(m => m.name === 'Retrait de titre')!.id
  return {motifId, times: await kiosk<Time[]>('Times', motifId, today, 1)}
}

/** Books at the kiosk; returns the ticket's short code. */
async function kioskBook(motifId: string, t: Time, lastName: string, firstName: string): Promise<string> {
  const res = await kiosk<{ticket?: {shortCode: string}; message: string}>('Book', {
    motifId, start: t.start, lieuId: t.lieuId, documents: 1, lastName, firstName, phone: '0612345678', preDemandes: [],
  })
  expect(res.ticket, res.message).toBeTruthy()
  return res.ticket!.shortCode.replace(/\s/g, '')
}

test('an arrival checked in at the kiosk shows in the agent\'s waiting room within 2 s', async ({page}) => {
  const {motifId, times} = await kioskTimes()
  const people = [['Vasseur', 'Anaïs'], ['Carpentier', 'Bérénice'], ['Lebrun', 'Cédric']]
  expect(times.length).toBeGreaterThanOrEqual(people.length)
  const codes = []
  for (const [i, [last, first]] of people.entries()) codes.push(await kioskBook(motifId, times[i], last, first))

  await signIn(page)
  await eventsConnected(page)
  await page.getByRole('button', {name: /^Salle d’attente/}).click()
  await expect(page.getByRole('heading', {name: 'Salle d’attente'})).toBeVisible()
  const latencies: number[] = []
  for (const [i, [last, first]] of people.entries()) {
    const who = `${last.toLocaleUpperCase('fr-FR')} ${first}`
    await expect(page.locator('main')).not.toContainText(who)
    const res = await kiosk<{arrived: boolean}>('CheckIn', codes[i])
    expect(res.arrived).toBe(true)
    latencies.push(await msUntilShown(page, who))
  }
  await expect(page.getByRole('row', {name: /VASSEUR Anaïs/})).toBeVisible()
  await expect(page.getByRole('button', {name: /^Salle d’attente \(\d+\)/})).toBeVisible()
  await page.screenshot({path: 'test-results/live/salle-d-attente.png'})
  console.log(`LIVE kiosk check-in → waiting room (ms): ${latencies.join(' ')}`)
})

test('a booking made at the kiosk shows on the agent\'s agenda within 2 s', async ({page}) => {
  await signIn(page)
  await eventsConnected(page)
  const {motifId, times} = await kioskTimes()
  await kioskBook(motifId, times[0], 'Colin', 'Firmin')
  const ms = await msUntilShown(page, 'COLIN Firmin')
  const booked = page.locator('.rdv-event', {hasText: 'COLIN Firmin'})
  await expect(booked).toBeVisible()
  await booked.scrollIntoViewIfNeeded()
  await page.screenshot({path: 'test-results/live/agenda.png'})
  console.log(`LIVE kiosk booking → agenda (ms): ${ms}`)
})
