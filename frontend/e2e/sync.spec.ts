import {expect, test} from '@playwright/test'
import {expectAccessible, guideShot, signIn} from './helpers'

// The synchronisation with the central server, against the fake rdv-central that app/e2eserve
// serves under /faux-central (flag -central; token « jeton-e2e »): connect from Paramètres › Serveur
// central (a wrong token refused with its French message, then the right one), the header's badge,
// a booking the central refuses (its slot was sold online) in « À traiter » with its advice, marked
// treated, then the disconnection (the later tests see an office without central).

test.describe.configure({mode: 'serial'})

test('connect to the central, treat a refused booking, disconnect', async ({page, baseURL}) => {
  test.setTimeout(120_000)
  await signIn(page)
  const badge = page.getByTestId('sync-badge')
  await expect(page.getByRole('button', {name: 'Se déconnecter'})).toBeVisible()
  await expect(badge).toHaveCount(0) // no central: no badge

  await page.getByRole('navigation', {name: 'Écrans'}).getByRole('button', {name: 'Paramètres'}).click()
  await page.getByRole('navigation', {name: 'Rubriques des paramètres'}).getByRole('button', {name: 'Serveur central'}).click()
  const form = page.getByRole('form', {name: 'Serveur central'})
  await expect(form.getByTestId('central-state')).toHaveText('État : non relié.')
  await expect(form.getByTestId('organisation-id')).not.toBeEmpty()
  await expectAccessible(page)

  const address = form.getByLabel('Adresse du serveur central')
  const token = form.getByLabel('Jeton du guichet')
  await expect(token).toHaveAttribute('type', 'password')
  await address.fill(`${baseURL}/faux-central`)
  await token.fill('mauvais-jeton')
  await form.getByRole('button', {name: 'Tester et enregistrer'}).click()
  await expect(form.getByRole('alert')).toHaveText('La connexion n’a pas été enregistrée : corrigez les champs signalés.')
  await expect(token).toHaveAccessibleDescription(/Jeton du bureau inconnu du serveur central : vérifiez la configuration de la synchronisation\./)
  await expect(token).toHaveAttribute('aria-invalid', 'true')
  await expect(badge).toHaveCount(0)
  await expectAccessible(page)

  // The right token, sent from the keyboard.
  await token.fill('jeton-e2e')
  await token.press('Enter')
  await expect(page.getByRole('status').filter({hasText: 'Connexion réussie'})).toBeVisible()
  await expect(form.getByTestId('central-state')).toContainText('relié à')
  await expect(token).toHaveAccessibleDescription('Enregistré : laissez vide pour le garder.')
  // The first round sends the demo's history, then the badge says it is done (the e2e clock
  // stands still: « à l'instant »).
  await expect(badge).toHaveText("Synchronisé à l’instant", {timeout: 60_000})
  await expectAccessible(page)
  await guideShot(page, 'synchronisation.png')

  // The central has sold online the next free slot; the counter books it all the same (it never
  // waits on the central), and the central refuses the booking at the next round.
  const booked = await page.evaluate(async () => {
    const svc = (window as any).go.app.AgentService
    const motif = (await svc.Workspace()).motifs.find((m: any) => m.name.startsWith('Aide CAF'))
    const [slot] = await svc.FindSlots({motifId: motif.id, lieuId: '', agentId: '', from: '2026-03-13', documents: 1, limit: 1})
    const sold = await fetch('/faux-central/_vendu?start=' + encodeURIComponent(slot.start), {method: 'POST'})
    if (!sold.ok) throw new Error('faux central : ' + sold.status)
    return svc.Book({motifId: motif.id, lieuId: slot.lieuId, agentId: slot.agentId, start: slot.start, documents: 1, usagerIds: [],
      newUsager: {id: '', firstName: 'Odile', lastName: 'Vendue', birthName: '', birthDate: '', phone: '', email: '', notifySms: false, notifyEmail: false, antsPreDemande: ''},
      context: '', override: false})
  })
  expect(booked.rdv).toBeTruthy()

  // The badge opens the « Synchronisation » screen (keyboard).
  await badge.focus()
  await page.keyboard.press('Enter')
  const screen = page.getByRole('main', {name: 'Synchronisation'})
  await expect(screen.getByRole('heading', {name: 'À traiter'})).toBeVisible()
  await screen.getByRole('button', {name: 'Synchroniser maintenant'}).click()
  const item = screen.getByRole('listitem').filter({hasText: 'VENDUE Odile'})
  await expect(item).toBeVisible({timeout: 30_000})
  await expect(item).toContainText(/Rendez-vous de VENDUE Odile le \S+ \S+ \S+ 2026 à \d+\u202fh\u202f\d\d — Aide CAF/)
  await expect(item).toContainText('Refusé par le serveur central : Ce créneau vient d’être pris.')
  await expect(item).toContainText('Que faire : Ce créneau était déjà vendu en ligne : proposez un autre créneau à l’usager')
  await expect(badge).toContainText('1 à traiter', {timeout: 20_000})
  await expectAccessible(page)
  await guideShot(page, 'a-traiter.png')

  await item.getByRole('button', {name: /^Marquer comme traité/}).click()
  await expect(screen.getByRole('status')).toContainText('Marqué comme traité : Rendez-vous de VENDUE Odile')
  await expect(screen.getByText('Rien à traiter : tous les changements ont été acceptés par le serveur central.')).toBeVisible()
  await expect(badge).not.toContainText('à traiter')
  await expectAccessible(page)

  // Disconnect: the badge goes away.
  await page.getByRole('navigation', {name: 'Écrans'}).getByRole('button', {name: 'Paramètres'}).click()
  await page.getByRole('navigation', {name: 'Rubriques des paramètres'}).getByRole('button', {name: 'Serveur central'}).click()
  await form.getByRole('button', {name: 'Déconnecter'}).click()
  await expect(page.getByRole('status').filter({hasText: 'n’est plus relié'})).toBeVisible()
  await expect(form.getByTestId('central-state')).toHaveText('État : non relié.')
  await expect(badge).toHaveCount(0)
})
