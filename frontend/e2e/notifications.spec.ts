import {expect, type Page, test} from '@playwright/test'
import {expectAccessible, guideShot, signIn} from './helpers'

/** Paramètres › Notifications, as an administrator. */
async function openNotificationSettings(page: Page) {
  await page.getByRole('navigation', {name: 'Écrans'}).getByRole('button', {name: 'Paramètres'}).click()
  await page.getByRole('navigation', {name: 'Rubriques des paramètres'}).getByRole('button', {name: 'Notifications'}).click()
  return page.getByRole('form', {name: 'Notifications aux usagers'})
}

test('an administrator sets the SMS journal up, with the errors beside the fields, and tests the sending', async ({page}) => {
  await signIn(page)
  const form = await openNotificationSettings(page)
  // The demo sends nothing: both channels are off, the reminder leaves 48 h before.
  await expect(form.getByLabel('Envoyer des SMS')).not.toBeChecked()
  await expect(form.getByLabel('Envoyer des courriels')).not.toBeChecked()
  await expect(form.getByLabel('Rappel : heures avant le rendez-vous')).toHaveValue('48')

  await form.getByLabel('Adresse du serveur central (facultative)').fill('rdv.saint-aubin.fr')
  await form.getByRole('button', {name: 'Enregistrer'}).click()
  await expect(form.getByText('L’adresse du serveur central commence par https://.')).toBeVisible()
  await expect(form.getByLabel('Adresse du serveur central (facultative)')).toHaveAttribute('aria-invalid', 'true')
  await expect(form.getByRole('alert')).toHaveText('Corrigez les champs signalés.')
  await expectAccessible(page)

  await form.getByLabel('Adresse du serveur central (facultative)').fill('')
  await form.getByLabel('Envoyer des SMS').check()
  await form.getByLabel('Fournisseur').selectOption({label: 'Journal (démonstration : rien n’est envoyé)'})
  await expect(form.getByLabel('Fichier du journal (facultatif)')).toBeVisible()
  await form.getByRole('button', {name: 'Enregistrer'}).click()
  await expect(page.getByRole('status').filter({hasText: 'Modifications enregistrées.'})).toBeVisible()
  // Saved, as read back from Go.
  await expect(form.getByLabel('Envoyer des SMS')).toBeChecked()
  await expect(form.getByLabel('Envoyer des courriels')).not.toBeChecked()
  await expect(form.getByLabel('Fournisseur')).toHaveValue('journal')

  const tester = page.getByRole('form', {name: 'Tester l’envoi'})
  await tester.getByLabel('Canal').selectOption({label: 'SMS'})
  await tester.getByLabel('Numéro de mobile').fill('06 12 34 56 78')
  await tester.getByRole('button', {name: 'Tester l’envoi'}).click()
  await expect(tester.getByRole('status')).toHaveText('Message de test envoyé à +33612345678.')
  await expectAccessible(page)
  // The whole screen for the guide: a window as tall as the form.
  await page.setViewportSize({width: 1280, height: 1900})
  const box = (await tester.boundingBox())!
  await page.setViewportSize({width: 1280, height: Math.ceil(box.y + box.height + 16)})
  await guideShot(page, 'notifications.png')
  await page.setViewportSize({width: 1280, height: 860})

  // No SMTP server: the e-mail test says so.
  await tester.getByLabel('Canal').selectOption({label: 'Courriel'})
  await tester.getByLabel('Adresse de courriel').fill('claire.martin@exemple.fr')
  await tester.getByRole('button', {name: 'Tester l’envoi'}).click()
  await expect(tester.getByRole('alert')).toHaveText('Aucun serveur de messagerie configuré')
})

test('an agent sees the messages of an RDV, and « Renvoyer le rappel » adds one', async ({page}) => {
  await signIn(page)
  // SMS on, through the journal provider (the previous test does it through the screen).
  await page.evaluate(async () => {
    const svc = (window as any).go.app.NotificationService
    const settings = await svc.GetSettings()
    const saved = await svc.SaveSettings({...settings, smsEnabled: true, emailEnabled: false, smsProvider: 'journal', centralUrl: ''})
    if (saved.errors.length) throw new Error(JSON.stringify(saved.errors))
  })
  // An agent who is not an administrator: no notification settings, but the RDVs' messages.
  await signIn(page, 'karim')
  await page.getByRole('navigation', {name: 'Écrans'}).getByRole('button', {name: 'Paramètres'}).click()
  await expect(page.getByRole('navigation', {name: 'Rubriques des paramètres'}).getByRole('button', {name: 'Motifs'})).toBeVisible()
  await expect(page.getByRole('navigation', {name: 'Rubriques des paramètres'}).getByRole('button', {name: 'Notifications'})).toHaveCount(0)
  expect(await page.evaluate(() => (window as any).go.app.NotificationService.GetSettings().catch((e: unknown) => JSON.parse(String(e)).message)))
    .toBe('Cette action est réservée aux administrateurs.')
  await page.getByRole('navigation', {name: 'Écrans'}).getByRole('button', {name: 'Agenda'}).click()

  await page.getByRole('button', {name: 'Trouver un créneau'}).click()
  const panel = page.getByRole('complementary', {name: 'Nouveau rendez-vous'})
  await panel.getByLabel('Motif').selectOption({label: 'Aide retraite (45\u202fmin)'})
  await panel.getByLabel('À partir du').fill('16/03/2026')
  await panel.getByRole('button', {name: 'Chercher les prochains créneaux'}).click()
  await panel.getByRole('list', {name: 'Créneaux libres'}).getByRole('button').first().click()
  await panel.getByRole('button', {name: 'Nouvel usager'}).click()
  await panel.getByLabel('Nom', {exact: true}).fill('Rappel')
  await panel.getByLabel('Prénom').fill('Inès')
  await panel.getByLabel('Téléphone').fill('06 98 76 54 32')
  await panel.getByRole('button', {name: 'Confirmer le rendez-vous'}).click()
  await expect(page.getByRole('status').filter({hasText: 'Rendez-vous enregistré'})).toBeVisible()

  // Open it from the agenda.
  await page.getByRole('complementary', {name: 'Rendez-vous'}).getByRole('button', {name: 'Fermer'}).click()
  await page.locator('.rdv-event', {hasText: 'RAPPEL Inès'}).click()
  const rdv = page.getByRole('complementary', {name: 'Rendez-vous'})
  const messages = rdv.getByRole('list', {name: 'Messages à l’usager'})
  const confirmation = messages.getByRole('listitem').filter({hasText: 'Confirmation'})
  await expect(confirmation).toContainText('SMS au 06\u00a098\u00a076\u00a054\u00a032')
  await expect(confirmation).toContainText('En attente — prévu mardi 10 mars à 8\u202fh\u202f45')
  await expect(messages.getByRole('listitem').filter({hasText: /^Rappel —/})).toContainText('En attente — prévu')
  await expectAccessible(page)

  await rdv.getByRole('button', {name: 'Renvoyer le rappel'}).click()
  await expect(rdv.getByRole('status')).toHaveText('1 rappel va partir.')
  await expect(messages.getByRole('listitem').filter({hasText: 'Rappel renvoyé'})).toContainText('SMS au 06\u00a098\u00a076\u00a054\u00a032')
  // Once is enough while it waits.
  await rdv.getByRole('button', {name: 'Renvoyer le rappel'}).click()
  await expect(rdv.getByRole('alert')).toContainText('Aucun rappel à envoyer')
  await expectAccessible(page)
})
