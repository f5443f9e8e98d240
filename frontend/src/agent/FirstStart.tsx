import {useState} from 'react'
import {LeaveDemo, StartDemo} from '../../wailsjs/go/app/SetupService'
import {parseError} from '../shared/errors'
import {PairingScreen} from './PairingScreen'
import './onboarding.css'

/**
 * The first start's chooser, on a data file without an organisation: the demo (a fictional
 * commune, kept apart from real data), the assistant « Configurer ma commune », or this PC joining
 * the office's poste principal.
 */
export function FirstStart({notice, pairingFirst, onDemo, onSetup}: {notice?: string; pairingFirst?: boolean; onDemo: () => void; onSetup: () => void}) {
  // --appairer (the installer's poste secondaire or borne) opens the pairing screen first.
  const [pairing, setPairing] = useState(!!pairingFirst)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState('')
  if (pairing) return <PairingScreen onBack={() => setPairing(false)}/>
  const demo = () => {
    setBusy(true)
    StartDemo().then(onDemo).catch(e => { setError(parseError(e).message); setBusy(false) })
  }
  return (
    <main className="first-start" aria-labelledby="first-title">
      <h1 id="first-title">Bienvenue dans RDV Guichet</h1>
      <p className="lead">Aucun agenda n’est encore enregistré sur ce PC. Comment voulez-vous commencer ?</p>
      {notice && <p className="notice" role="status">{notice}</p>}
      {error && <p className="error" role="alert">{error}</p>}
      <ul className="first-choices">
        <li>
          <button type="button" className="primary" onClick={onSetup} disabled={busy}>Configurer ma commune</button>
          <p className="hint">Un assistant en quelques étapes : votre organisation, vos lieux, vos agendas, vos motifs à partir de modèles, vos horaires. Comptez une dizaine de minutes ; vous pouvez l’interrompre et le reprendre.</p>
        </li>
        <li>
          <button type="button" onClick={demo} disabled={busy} aria-busy={busy}>
            {busy ? 'Création de la démonstration…' : 'Découvrir avec une commune de démonstration'}
          </button>
          <p className="hint">Une commune fictive avec ses agendas, ses usagers et trois mois de rendez-vous, pour essayer sans risque. Elle ne se mélange jamais à vos données : « Quitter la démonstration » repart d’un agenda vide.</p>
        </li>
        <li>
          <button type="button" onClick={() => setPairing(true)} disabled={busy}>Ce PC rejoint le poste principal du bureau</button>
          <p className="hint">Pour un deuxième guichet ou une borne : ce PC utilisera l’agenda du poste principal.</p>
        </li>
      </ul>
    </main>
  )
}

/**
 * The mark of the demo, above every screen of a demo data file, with « Quitter la démonstration »:
 * after a confirmation, the demo is kept in a backup beside the data file and the file starts
 * empty (the chooser again).
 */
export function DemoBanner({onLeft}: {onLeft: (backup: string) => void}) {
  const [confirm, setConfirm] = useState(false)
  const [error, setError] = useState('')
  const leave = () => LeaveDemo().then(onLeft).catch(e => setError(parseError(e).message))
  return (
    <div className="demo-banner" role="region" aria-label="Démonstration">
      <strong>Démonstration</strong> — commune et usagers fictifs, rien de réel n’est enregistré ici.
      {!confirm && <button type="button" onClick={() => setConfirm(true)}>Quitter la démonstration</button>}
      {confirm && (
        <span className="demo-confirm" role="alertdialog" aria-label="Quitter la démonstration ?">
          Les données de démonstration seront mises de côté dans une sauvegarde et l’application repartira d’un agenda vide.
          <button type="button" className="primary" onClick={leave}>Quitter et repartir à vide</button>
          <button type="button" onClick={() => setConfirm(false)}>Annuler</button>
        </span>
      )}
      {error && <span className="error" role="alert">{error}</span>}
    </div>
  )
}
