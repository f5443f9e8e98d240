import {execFileSync} from 'node:child_process'
import {expect, test} from '@playwright/test'
import {expectAccessible, goError, guideShot, signIn} from './helpers'

test('two passports at the counter: one person per title, each with their pré-demande, both on the RDV and its convocation', async ({page}) => {
  await page.setViewportSize({width: 1366, height: 768})
  await signIn(page)
  await page.keyboard.press('r')
  const panel = page.getByRole('complementary', {name: 'Nouveau rendez-vous'})
  await expect(panel.getByLabel('Motif')).toBeFocused()
  await panel.getByLabel('Motif').selectOption({label: 'Passeport (20\u202fmin)'})
  await panel.getByLabel('Nombre de titres').fill('2')
  await panel.getByLabel('Lieu').selectOption({label: 'Mairie'})
  await panel.getByRole('button', {name: 'Chercher les prochains créneaux'}).click()
  const slots = panel.getByRole('list', {name: 'Créneaux libres'}).getByRole('button')
  await expect(slots.first()).toBeVisible()
  await slots.first().click()
  await expect(panel.getByTestId('picked-slot')).toContainText('DR')

  // Person 1: the usager found; person 2: a new relative of theirs.
  const first = panel.getByRole('group', {name: 'Personne 1'})
  const second = panel.getByRole('group', {name: 'Personne 2'})
  await first.getByLabel('Rechercher un usager').fill('dup')
  const found = first.getByRole('list', {name: 'Usagers trouvés'}).getByRole('button').first()
  const name = (await found.textContent())!.split(' — ')[0] // « DUPONT Hélène »
  const [last, firstName] = [name.split(' ')[0], name.split(' ').slice(1).join(' ')]
  const family = last.charAt(0) + last.slice(1).toLowerCase()
  await found.click()
  await expect(first.getByRole('button', {name: 'Changer d’usager'})).toBeVisible()
  await second.getByRole('button', {name: `Nouvelle personne (proche de ${name})`}).click()
  await second.getByLabel('Nom', {exact: true}).fill(family)
  await second.getByLabel('Prénom').fill('Léonie')
  await second.getByLabel('Date de naissance (facultative)').fill('14/05/2016')
  await expect(second.getByLabel('Téléphone')).toHaveCount(0)
  await first.getByLabel('Numéro de pré-demande ANTS de la personne 1').fill('ab12 cd34 ef')
  await second.getByLabel('Numéro de pré-demande ANTS de la personne 2').fill('AB12CD34EF')
  await panel.getByLabel('Note pour les agents').fill('Deux passeports')
  await panel.getByRole('button', {name: 'Confirmer le rendez-vous'}).click()
  // The same number twice: refused beside person 2's field, nothing booked.
  const number2 = second.getByLabel('Numéro de pré-demande ANTS de la personne 2')
  await expect(second.getByText('Ce numéro est déjà indiqué pour une autre personne : chaque personne a le sien.')).toBeVisible()
  await expect(number2).toHaveAttribute('aria-invalid', 'true')
  await expectAccessible(page)
  await number2.fill('ZZ99YY88XX')
  await expect(second.getByText('Ce numéro est déjà indiqué')).toHaveCount(0)
  await expectAccessible(page)
  await panel.getByRole('heading', {name: '2. Personnes (une par titre)'}).evaluate(h => h.scrollIntoView())
  await guideShot(page, 'rendez-vous-deux-passeports.png')
  await panel.getByRole('button', {name: 'Confirmer le rendez-vous'}).click()
  await expect(page.getByRole('status').filter({hasText: 'Rendez-vous enregistré'})).toBeVisible()

  const rdv = page.getByRole('complementary', {name: 'Rendez-vous'})
  await expect(rdv.getByText('Passeport — 2 titres')).toBeVisible()
  await expect(rdv.getByText('Deux passeports')).toBeVisible()
  const people = rdv.getByRole('heading', {name: 'Usagers'}).locator('+ ul > li')
  await expect(people).toHaveCount(2)
  await expect(people.nth(0)).toContainText(name)
  await expect(people.nth(0)).toContainText('pré-demande AB12CD34EF')
  await expect(people.nth(1)).toContainText(`${last} Léonie — né(e) le 14 mai 2016`)
  await expect(people.nth(1)).toContainText('pré-demande ZZ99YY88XX')
  await expectAccessible(page)

  // The convocation lists each person with their number.
  await rdv.getByRole('group', {name: 'Convocation'}).getByRole('button', {name: 'Enregistrer le PDF'}).click()
  const pdf = await rdv.getByTestId('file-path').textContent()
  const text = execFileSync('pdftotext', [pdf!, '-']).toString().replace(/\s+/g, ' ')
  // The first person's name as stored: earlier specs of this server may have created an usager
  // found by « dup » whose family name is typed in capitals.
  expect(text.toLowerCase()).toContain(`${firstName} ${family}`.toLowerCase())
  expect(text).toContain('AB12CD34EF')
  expect(text).toContain(`Léonie ${family}`)
  expect(text).toContain('ZZ99YY88XX')
})

test('a new usager is created inline, with the errors beside the fields', async ({page}) => {
  await signIn(page)
  await page.getByRole('button', {name: 'Trouver un créneau'}).click()
  const panel = page.getByRole('complementary', {name: 'Nouveau rendez-vous'})
  await panel.getByLabel('Motif').selectOption({label: 'Aide retraite (45\u202fmin)'})
  await panel.getByRole('button', {name: 'Chercher les prochains créneaux'}).click()
  await panel.getByRole('list', {name: 'Créneaux libres'}).getByRole('button').first().click()
  await panel.getByRole('button', {name: 'Nouvel usager'}).click()
  await panel.getByLabel('Nom', {exact: true}).fill('Lefèvre-Nouvel')
  await panel.getByLabel('Téléphone').fill('06 12')
  await panel.getByRole('button', {name: 'Confirmer le rendez-vous'}).click()
  await expect(panel.getByText('Le prénom est obligatoire.')).toBeVisible()
  await expect(panel.getByText('Le numéro de téléphone n’est pas valide (par exemple 06 12 34 56 78).')).toBeVisible()
  await expect(panel.getByLabel('Prénom')).toHaveAttribute('aria-invalid', 'true')
  await expectAccessible(page)
  await panel.getByLabel('Prénom').fill('Agnès')
  await panel.getByLabel('Téléphone').fill('06 98 76 54 32')
  await panel.getByRole('button', {name: 'Confirmer le rendez-vous'}).click()
  await expect(page.getByRole('status').filter({hasText: 'LEFÈVRE-NOUVEL Agnès'})).toBeVisible()
})

test('a slot booked meanwhile is refused with the next free slots', async ({page}) => {
  await signIn(page)
  await page.getByRole('button', {name: 'Trouver un créneau'}).click()
  const panel = page.getByRole('complementary', {name: 'Nouveau rendez-vous'})
  await panel.getByLabel('Motif').selectOption({label: 'Aide CAF (prestations, dossier) (30\u202fmin)'})
  await panel.getByRole('button', {name: 'Chercher les prochains créneaux'}).click()
  await panel.getByRole('list', {name: 'Créneaux libres'}).getByRole('button').first().click()
  await panel.getByLabel('Rechercher un usager').fill('martin')
  await panel.getByRole('list', {name: 'Usagers trouvés'}).getByRole('button').first().click()
  await expect(panel.getByRole('button', {name: 'Changer d’usager'})).toBeVisible()
  await guideShot(page, 'reservation.png')

  // Meanwhile, another counter books the same slot (a direct call to the same Go service).
  const taken = await page.evaluate(async () => {
    const svc = (window as any).go.app.AgentService
    const motif = (await svc.Workspace()).motifs.find((m: any) => m.name.startsWith('Aide CAF'))
    const [slot] = await svc.FindSlots({motifId: motif.id, lieuId: '', agentId: '', from: '', documents: 1, limit: 1})
    const [usager] = await svc.SearchUsagers('bernard')
    return svc.Book({motifId: motif.id, lieuId: slot.lieuId, agentId: slot.agentId, start: slot.start, documents: 1,
      usagerIds: [usager.id], newUsager: null, context: '', override: false})
  })
  expect(taken.rdv).toBeTruthy()

  await panel.getByRole('button', {name: 'Confirmer le rendez-vous'}).click()
  await expect(panel.getByRole('alert')).toContainText('Ce créneau vient d’être pris. Voici les prochains créneaux libres :')
  const alternatives = panel.getByRole('list', {name: 'Prochains créneaux libres'}).getByRole('button')
  await expect(alternatives.first()).toBeVisible()
  await expectAccessible(page)
  await alternatives.first().click()
  await panel.getByRole('button', {name: 'Confirmer le rendez-vous'}).click()
  await expect(page.getByRole('status').filter({hasText: 'Rendez-vous enregistré'})).toBeVisible()
})

test('move an RDV by the form, then cancel it (excusé)', async ({page}) => {
  await signIn(page)
  const booked = await page.evaluate(async () => {
    const svc = (window as any).go.app.AgentService
    const motif = (await svc.Workspace()).motifs.find((m: any) => m.name.startsWith('Aide impôts'))
    const [slot] = await svc.FindSlots({motifId: motif.id, lieuId: '', agentId: '', from: '2026-03-12', documents: 1, limit: 1})
    return svc.Book({motifId: motif.id, lieuId: slot.lieuId, agentId: slot.agentId, start: slot.start, documents: 1, usagerIds: [],
      newUsager: {id: '', firstName: 'Paul', lastName: 'Déplacé', birthName: '', birthDate: '', phone: '', email: '', notifySms: false, notifyEmail: false, antsPreDemande: ''},
      context: '', override: false})
  })
  await page.getByLabel('Aller au').fill(booked.rdv.start.slice(0, 10).split('-').reverse().join('/'))
  await page.locator('.rdv-event', {hasText: 'DÉPLACÉ Paul'}).click()
  const rdv = page.getByRole('complementary', {name: 'Rendez-vous'})
  await expect(rdv.getByTestId('rdv-status')).toHaveText('À venir')
  await rdv.getByRole('button', {name: 'Déplacer'}).click()
  await rdv.getByLabel('À partir du').fill('16/03/2026')
  await rdv.getByRole('button', {name: 'Chercher les prochains créneaux'}).click()
  await rdv.getByRole('list', {name: 'Créneaux libres'}).getByRole('button').first().click()
  await expect(page.getByRole('status').filter({hasText: 'Rendez-vous déplacé au lundi 16 mars'})).toBeVisible()
  await expect(page.getByTestId('current-day')).toHaveText('lundi 16 mars 2026')
  // The panel shows the RDV at its new time, not the list of slots it was moved from.
  await expect(rdv.getByRole('list', {name: 'Créneaux libres'})).toHaveCount(0)
  await expect(rdv.locator('dd').first()).toContainText('lundi 16 mars')

  // « Annuler le rendez-vous » asks for the reason, then says what it did (not the move's message).
  await rdv.getByRole('button', {name: /^Annuler le rendez-vous/}).click()
  const dialog = page.getByRole('dialog', {name: 'Annuler le rendez-vous de DÉPLACÉ Paul ?'})
  await expect(dialog.getByRole('button', {name: 'Garder le rendez-vous'})).toBeFocused()
  await expectAccessible(page)
  await dialog.getByRole('radio', {name: 'À la demande de l’usager (excusé)'}).check()
  await dialog.getByRole('button', {name: 'Annuler le rendez-vous'}).click()
  await expect(rdv.getByTestId('rdv-status')).toHaveText('Annulé (excusé)')
  await expect(page.getByRole('status').filter({hasText: 'DÉPLACÉ Paul'})).toHaveText('Rendez-vous de DÉPLACÉ Paul annulé à la demande de l’usager (excusé).')
  await expect(page.locator('.rdv-event', {hasText: 'DÉPLACÉ Paul'})).toHaveCount(0)
  await page.getByLabel('Afficher les annulés').check()
  await expect(page.locator('.rdv-event.status-cancelled', {hasText: 'DÉPLACÉ Paul'})).toBeVisible()
  // The history records who did what.
  await expect(rdv.getByRole('list').filter({hasText: 'Claire Martin\u202f: À venir → Annulé (excusé)'})).toBeVisible()
  await expect(rdv.getByRole('list').filter({hasText: /Claire Martin\u202f: déplacé du jeudi 12 mars 2026 à .* au lundi 16 mars 2026 à /})).toBeVisible()
})

test('searching slots without a motif says what to do', async ({page}) => {
  await signIn(page)
  expect(await goError(page, 'FindSlots', {motifId: '', lieuId: '', agentId: '', from: '', documents: 1, limit: 1})).toBe('Choisissez un motif.')
})
