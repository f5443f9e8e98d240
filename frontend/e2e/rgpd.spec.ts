import {expect, type Page, test} from '@playwright/test'
import {expectAccessible, goCall, goRefusal, guideShot, signIn} from './helpers'

// issue 10, #12 and #13: Paramètres › Données personnelles (administrators): the retention of the
// daily purge, an usager's export and erasure with a confirmation, the audit trail; Paramètres ›
// Mon mot de passe asks for the current password. French texts, axe-clean.

async function openSettings(page: Page, section: string) {
  await page.getByRole('navigation', {name: 'Écrans'}).getByRole('button', {name: 'Paramètres'}).click()
  await page.getByRole('navigation', {name: 'Rubriques des paramètres'}).getByRole('button', {name: section}).click()
}

test('an administrator sets the retention, exports an usager’s data and erases the usager', async ({page}) => {
  await signIn(page)
  const saved = await goCall<{id: string; errors: unknown[] | null}>(page, 'SaveUsager', {id: '', firstName: 'Zoé', lastName: 'Effacement',
    birthName: '', birthDate: '', phone: '06 11 22 33 44', email: 'zoe.effacement@example.fr', notifySms: true, notifyEmail: true, antsPreDemande: ''})
  expect(saved.errors ?? []).toEqual([])
  await openSettings(page, 'Données personnelles')

  const retention = page.getByRole('form', {name: 'Durée de conservation'})
  await expect(retention.getByLabel('Durée de conservation (en années)')).toHaveValue('2')
  await expect(retention.getByText(/Au prochain passage \(chaque jour\), la purge supprimera 0 rendez-vous/)).toBeVisible()
  await expectAccessible(page)
  await retention.getByLabel('Durée de conservation (en années)').fill('11')
  await retention.getByRole('button', {name: 'Enregistrer'}).click()
  await expect(retention.getByText('La durée de conservation doit être comprise entre 1 et 10 ans.')).toBeVisible()
  await expect(retention.getByLabel('Durée de conservation (en années)')).toHaveAttribute('aria-invalid', 'true')
  await retention.getByLabel('Durée de conservation (en années)').fill('3')
  await retention.getByRole('button', {name: 'Enregistrer'}).click()
  await expect(retention.getByText('Durée de conservation enregistrée.')).toBeVisible()

  const search = page.getByRole('search', {name: 'Chercher un usager'})
  await search.getByLabel('Nom, téléphone ou e-mail de l’usager').fill('Effacement')
  await search.getByRole('button', {name: 'Chercher'}).click()
  await page.getByRole('list', {name: 'Usagers trouvés'}).getByRole('button', {name: 'EFFACEMENT Zoé'}).click()
  const usager = page.getByRole('group', {name: 'Usager EFFACEMENT Zoé'})
  await usager.getByRole('button', {name: 'Exporter les données de l’usager'}).click()
  // The export is written twice: readable (PDF, to hand to the usager) and complete (JSON).
  const exported = usager.getByRole('status', {name: 'Export enregistré'})
  await expect(exported).toContainText('Export enregistré (lisible, PDF)')
  await expect(exported).toContainText('Export complet (JSON)')
  const links = exported.getByRole('link', {name: 'Télécharger'})
  await expect(links.nth(0)).toHaveAttribute('download', /^usager-.*\.pdf$/)
  await expect(links.nth(0)).toHaveAttribute('href', /^data:application\/pdf;base64,JVBERi0/) // %PDF-
  await expect(links.nth(1)).toHaveAttribute('download', /^usager-.*\.json$/)

  await usager.getByRole('button', {name: 'Supprimer l’usager'}).click()
  const confirm = page.getByRole('alertdialog', {name: 'Supprimer EFFACEMENT Zoé ?'})
  await expect(confirm).toContainText('Ses rendez-vous à venir seront annulés par le service')
  await expectAccessible(page)
  await guideShot(page, 'donnees-personnelles.png')
  await confirm.getByRole('button', {name: 'Confirmer la suppression'}).click()
  await expect(page.getByRole('status').filter({hasText: 'Les données personnelles de l’usager sont supprimées.'})).toBeVisible()

  const journal = page.getByRole('table', {name: 'Journal des données personnelles'})
  await expect(journal.getByRole('row').filter({hasText: 'Données d’un usager supprimées'})).toHaveCount(1)
  await expect(journal.getByRole('row').filter({hasText: 'Export des données d’un usager'})).toHaveCount(1)
  await expectAccessible(page)

  // The usager is found no more by their name, and a second erasure is refused with its code.
  expect(await goCall<unknown[]>(page, 'SearchUsagers', 'Effacement')).toEqual([])
  expect((await goRefusal(page, 'EraseUsager', saved.id)).code).toBe('usager_erased')
})

test('an agent does not see the personal data section, and changes their password only with the current one', async ({page}) => {
  await signIn(page, 'karim')
  await page.getByRole('navigation', {name: 'Écrans'}).getByRole('button', {name: 'Paramètres'}).click()
  const nav = page.getByRole('navigation', {name: 'Rubriques des paramètres'})
  await expect(nav.getByRole('button', {name: 'Données personnelles'})).toHaveCount(0)
  expect((await goRefusal(page, 'EraseUsager', 'x')).code).toBe('admin_only')
  await nav.getByRole('button', {name: 'Mon mot de passe'}).click()
  const form = page.getByRole('form', {name: 'Mon mot de passe'})
  await form.getByLabel('Mot de passe actuel').fill('pas-le-bon')
  await form.getByLabel('Nouveau mot de passe').fill('nouveau-secret')
  await form.getByRole('button', {name: 'Changer le mot de passe'}).click()
  await expect(form.getByRole('alert')).toHaveText('Le mot de passe actuel est incorrect.')
  await expectAccessible(page)
})
