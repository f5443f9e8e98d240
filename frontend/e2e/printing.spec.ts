import {existsSync, readFileSync} from 'node:fs'
import {expect, type Page, test} from '@playwright/test'
import {expectAccessible, goCall, guideShot, signIn} from './helpers'

// app/e2eserve prints to a fake printer that refuses anything but a PDF on the A4 printer: the
// success messages prove the documents went through the printers of the settings, without paper.

/** A section of Paramètres. */
async function openSettings(page: Page, section: string) {
  await page.getByRole('navigation', {name: 'Écrans'}).getByRole('button', {name: 'Paramètres'}).click()
  await page.getByRole('navigation', {name: 'Rubriques des paramètres'}).getByRole('button', {name: section}).click()
}

test('an administrator chooses the ticket printer, with the errors beside the fields, and prints test pages', async ({page}) => {
  await signIn(page)
  await openSettings(page, 'Impression')
  const form = page.getByRole('form', {name: 'Impression'})
  await expect(form.getByLabel('Imprimante de tickets')).toHaveValue('')
  await form.getByLabel('Imprimante de tickets').selectOption({label: 'Imprimante réseau (port 9100)'})
  await form.getByLabel('Adresse de l’imprimante').fill('imprimante:99999')
  await form.getByRole('button', {name: 'Enregistrer'}).click()
  await expect(form.getByText('Adresse attendue sous la forme HÔTE:PORT, par exemple 192.168.1.50:9100 (port entre 1 et 65535).')).toBeVisible()
  await expect(form.getByLabel('Adresse de l’imprimante')).toHaveAttribute('aria-invalid', 'true')
  await expect(form.getByRole('alert')).toHaveText('Corrigez les champs signalés.')
  await expectAccessible(page)

  await form.getByLabel('Adresse de l’imprimante').fill('192.168.1.50:9100')
  await form.getByLabel('QR code').selectOption({label: 'Image (imprimantes anciennes qui n’impriment pas le QR code)'})
  await form.getByRole('button', {name: 'Enregistrer'}).click()
  await expect(page.getByRole('status').filter({hasText: 'Modifications enregistrées.'})).toBeVisible()
  // Saved, as read back from Go.
  await expect(form.getByLabel('Imprimante de tickets')).toHaveValue('socket')
  await expect(form.getByLabel('Adresse de l’imprimante')).toHaveValue('192.168.1.50:9100')
  await expect(form.getByLabel('QR code')).toHaveValue('raster')

  const tester = page.getByRole('region', {name: 'Page de test'})
  await tester.getByRole('button', {name: 'Page de test'}).click()
  await expect(tester.getByRole('status')).toHaveText('Page de test envoyée à l’imprimante par défaut.')
  await tester.getByRole('button', {name: 'Ticket de test'}).click()
  await expect(tester.getByRole('status')).toHaveText('Ticket de test envoyé à l’imprimante de tickets 192.168.1.50:9100.')
  await expectAccessible(page)
  // The whole screen for the guide: a window as tall as the section.
  await page.setViewportSize({width: 1280, height: 1400})
  const box = (await tester.boundingBox())!
  await page.setViewportSize({width: 1280, height: Math.ceil(box.y + box.height + 16)})
  await guideShot(page, 'impression.png')
  await page.setViewportSize({width: 1280, height: 860})
})

test('an RDV’s convocation is saved as a PDF, printed as a page and as a ticket, and its invitation saved', async ({page}) => {
  await signIn(page)
  const saved = await goCall<{errors: unknown[]}>(page, 'SavePrintingSettings',
    {a4Printer: '', sumatraPath: '', ticketKind: 'socket', ticketQueue: '', ticketAddr: '192.168.1.50:9100', ticketQr: 'native'})
  expect(saved.errors).toEqual([])
  await page.locator('.rdv-event').first().click()
  const rdv = page.getByRole('complementary', {name: 'Rendez-vous'})
  const documents = rdv.getByRole('group', {name: 'Convocation'})

  await documents.getByRole('button', {name: 'Enregistrer le PDF'}).click()
  await expect(rdv.getByRole('status')).toContainText('Convocation enregistrée : ')
  const pdf = await rdv.getByTestId('file-path').textContent()
  expect(pdf).toMatch(/[/\\]Convocations[/\\]convocation-2026-03-10-\d{4}-[a-z-]+\.pdf$/)
  expect(existsSync(pdf!)).toBe(true)
  expect(readFileSync(pdf!).subarray(0, 5).toString()).toBe('%PDF-')
  await expectAccessible(page)

  await documents.getByRole('button', {name: 'Imprimer la convocation'}).click()
  await expect(rdv.getByRole('status')).toHaveText('Convocation envoyée à l’imprimante par défaut.')
  await documents.getByRole('button', {name: 'Imprimer le ticket'}).click()
  await expect(rdv.getByRole('status')).toHaveText('Ticket envoyé à l’imprimante de tickets 192.168.1.50:9100.')

  await documents.getByRole('button', {name: 'Invitation (.ics)'}).click()
  await expect(rdv.getByRole('status')).toContainText('Invitation enregistrée : ')
  const ics = await rdv.getByTestId('file-path').textContent()
  expect(ics).toMatch(/[/\\]Invitations[/\\]invitation-2026-03-10-\d{4}-[a-z-]+\.ics$/)
  expect(readFileSync(ics!, 'utf8')).toContain('BEGIN:VCALENDAR')
  await expectAccessible(page)
})

test('an agent exports an agenda as an iCal file to subscribe to; the printing settings are not theirs', async ({page}) => {
  await signIn(page, 'karim')
  await page.getByRole('navigation', {name: 'Écrans'}).getByRole('button', {name: 'Paramètres'}).click()
  const sections = page.getByRole('navigation', {name: 'Rubriques des paramètres'})
  await expect(sections.getByRole('button', {name: 'Impression'})).toHaveCount(0)
  await sections.getByRole('button', {name: 'Calendrier iCal'}).click()
  const feed = page.getByRole('region', {name: 'Calendrier iCal'})
  await expect(feed.getByLabel('Agenda')).toHaveValue(await page.evaluate(async () => (await (window as any).go.app.AgentService.Workspace()).session.agentId))
  await feed.getByRole('button', {name: 'Exporter l’agenda'}).click()
  await expect(feed.getByRole('status')).toContainText('Agenda exporté : ')
  const path = await feed.getByTestId('file-path').textContent()
  expect(path).toMatch(/[/\\]Agendas iCal[/\\]agenda-karim-benali\.ics$/)
  const text = readFileSync(path!, 'utf8')
  expect(text).toContain('BEGIN:VCALENDAR')
  expect(text).toContain('X-WR-CALNAME:RDV Guichet — Karim Benali')
  await expect(feed.getByText('Thunderbird')).toContainText('file:///')
  await expectAccessible(page)
})
