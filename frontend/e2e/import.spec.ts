import {expect, type Page, test} from '@playwright/test'
import {expectAccessible, guideShot, signIn} from './helpers'

// issue 14, #3: Paramètres › Import. A file with five good lines and two bad ones is refused as a
// whole, with the two lines and their reasons; the corrected file imports, and its RDVs are in
// the agenda. The RDVs are on Karim Benali's free afternoons (outside his plages: the preview
// says they go in as an agent may book them).

const header = 'nom;prénom;date de naissance;téléphone;e-mail;date;heure;agenda;motif\n'
const good = [
  'Importée;Alice;12/05/1990;06 01 02 03 04;alice@example.fr;21/04/2026;14 h 00;Karim Benali;Aide retraite',
  'Importée;Alice;12/05/1990;06 01 02 03 04;alice@example.fr;21/04/2026;15:00;Karim Benali;Aide CAF (prestations, dossier)',
  'Importé;Bruno;01/02/1975;;;21/04/2026;16 h;Karim Benali;Aide impôts (déclaration en ligne)',
  'Importée;Chloé;;07 01 02 03 04;;23/04/2026;14 h 30;Karim Benali;Aide CAF (prestations, dossier)',
  'Sans;Rendez-vous;03/03/1960;;;;;;',
]
const bad = [
  'Erreur;Date;31/02/1980;;;;;;',
  'Erreur;Motif;;;;21/04/2026;17 h 00;Karim Benali;Permis de chasse',
]
const csv = (lines: string[]) => ({name: 'agenda-papier.csv', mimeType: 'text/csv', buffer: Buffer.from(header + lines.join('\n') + '\n')})

async function openImport(page: Page) {
  await page.getByRole('navigation', {name: 'Écrans'}).getByRole('button', {name: 'Paramètres'}).click()
  await page.getByRole('navigation', {name: 'Rubriques des paramètres'}).getByRole('button', {name: 'Import'}).click()
}

test('an import with two bad lines is refused whole and lists them; the corrected file imports into the agenda', async ({page}) => {
  await page.setViewportSize({width: 1366, height: 768})
  await signIn(page)
  await openImport(page)
  const section = page.getByRole('region', {name: 'Importer un agenda existant'})
  const model = section.getByRole('link', {name: 'Télécharger le modèle'})
  await expect(model).toHaveAttribute('download', 'import-modele.csv')
  await expect(model).toHaveAttribute('href', /^data:text\/csv;base64,77u/) // the UTF-8 BOM
  await expectAccessible(page)

  await section.getByLabel('Fichier à importer').setInputFiles(csv([...good, ...bad]))
  await expect(section.getByRole('alert')).toHaveText('Import impossible : 2 lignes à corriger. Rien n’a été importé.')
  await expect(section.getByRole('status').filter({hasText: 'Aperçu'})).toHaveText('Aperçu — 7 lignes lues.')
  const lines = section.getByRole('table', {name: 'Lignes à corriger'}).getByRole('row')
  await expect(lines).toHaveCount(3)
  await expect(lines.nth(1)).toHaveText('7Date de naissance « 31/02/1980 » illisible : écrivez-la jj/mm/aaaa (par exemple 07/04/1985).')
  await expect(lines.nth(2)).toHaveText('8Motif « Permis de chasse » inconnu : écrivez le nom d’un motif tel qu’il figure dans Paramètres › Motifs.')
  await expect(section.getByRole('button', {name: 'Importer', exact: true})).toBeDisabled()
  await expectAccessible(page)
  await guideShot(page, 'import-refuse.png')

  await section.getByLabel('Fichier à importer').setInputFiles(csv(good))
  await expect(section.getByRole('status').filter({hasText: 'Aperçu'})).toHaveText(
    'Aperçu — 5 lignes lues : 4 usagers nouveaux, 0 usager déjà dans l’agenda, 4 rendez-vous. ' +
    'Aucun message ne part à l’import, et aucun rappel n’est prévu.')
  await expect(section.getByRole('table', {name: /rendez-vous importés malgré une règle de l’agenda/}).getByRole('row')).toHaveCount(5)
  // At 768 px high, « Importer » is on screen below the preview, without scrolling.
  await expect(section.getByRole('button', {name: 'Importer', exact: true})).toBeInViewport({ratio: 1})
  await expectAccessible(page)
  await guideShot(page, 'import-apercu.png')
  await section.getByRole('button', {name: 'Importer', exact: true}).click()
  await expect(section.getByRole('status').filter({hasText: 'Import terminé'})).toHaveText(
    'Import terminé : 4 rendez-vous ajoutés à l’agenda, 4 usagers créés.')
  await expect(section.getByRole('button', {name: 'Importer', exact: true})).toBeDisabled()
  await expectAccessible(page)

  // The same file again: the usagers are found, and every RDV is an overlap; nothing is written.
  await section.getByLabel('Fichier à importer').setInputFiles(csv(good))
  await expect(section.getByRole('alert')).toHaveText('Import impossible : 4 lignes à corriger. Rien n’a été importé.')
  await expect(section.getByRole('table', {name: /Usagers déjà dans l’agenda/}).getByRole('row')).toHaveCount(5)

  await page.getByRole('navigation', {name: 'Écrans'}).getByRole('button', {name: 'Agenda'}).click()
  await page.getByLabel('Aller au').fill('21/04/2026')
  await expect(page.getByTestId('current-day')).toHaveText('mardi 21 avril 2026')
  for (const who of ['IMPORTÉE Alice', 'IMPORTÉ Bruno']) {
    await expect(page.locator('.rdv-event').filter({hasText: who}).first()).toBeVisible()
  }
  await expect(page.locator('.rdv-event').filter({hasText: 'IMPORTÉE Alice'})).toHaveCount(2)
})
