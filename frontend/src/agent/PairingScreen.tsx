import {type FormEvent, useState} from 'react'
import {OpenAsPoste, PairThisPoste, ProbePrincipal} from '../../wailsjs/go/app/AgentService'
import type {app} from '../../wailsjs/go/models'
import {parseError} from '../shared/errors'
import {Fingerprint} from './PostesSettings'
import './postes.css'

// The pairing screen of a new PC (ADR 0010): the poste principal's address, then its fingerprint,
// compared with the one Paramètres › Postes shows on the principal, before the one-time code is
// sent (to that certificate only); then the window opens again as the poste secondaire (the
// principal's agents' window, or its kiosk). Shown from the sign-in screen and the first start's
// chooser; on a new PC (the demo of the first start) no account is needed, elsewhere an
// administrator's session.

type Step = {at: 'address'} | {at: 'fingerprint'; fingerprint: string} | {at: 'code'; fingerprint: string} | {at: 'paired'; view: app.PairingView}

export function PairingScreen({onBack}: {onBack?: () => void}) {
  const [step, setStep] = useState<Step>({at: 'address'})
  const [address, setAddress] = useState('')
  const [code, setCode] = useState('')
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState('')
  const run = <T,>(work: Promise<T>, then: (v: T) => void) => {
    setBusy(true)
    setProblem('')
    work.then(then).catch(e => setProblem(parseError(e).message)).finally(() => setBusy(false))
  }
  const probe = (e: FormEvent) => {
    e.preventDefault()
    if (!address.trim()) { setProblem('Indiquez l’adresse du poste principal, par exemple 192.168.1.10.'); return }
    run(ProbePrincipal(address), fingerprint => setStep({at: 'fingerprint', fingerprint}))
  }
  const pair = (e: FormEvent, fingerprint: string) => {
    e.preventDefault()
    if (!code.trim()) { setProblem('Tapez le code d’appairage affiché sur le poste principal.'); return }
    run(PairThisPoste(address, code, fingerprint), view => setStep({at: 'paired', view}))
  }
  const open = () => run(OpenAsPoste(), () => window.location.reload())

  return (
    <main className="signin pairing">
      <form aria-labelledby="pairing-title" noValidate onSubmit={e => {
        if (step.at === 'address') probe(e)
        else if (step.at === 'code') pair(e, step.fingerprint)
        else e.preventDefault()
      }}>
        <h1 id="pairing-title">Relier ce PC au poste principal</h1>
        <p className="hint">
          Ce PC devient un poste secondaire : il travaille sur l’agenda du poste principal du bureau. Sur le poste principal, un
          administrateur ajoute ce poste dans Paramètres › Postes et vous donne un code d’appairage.
        </p>
        <ol className="pairing-steps" aria-label="Étapes">
          <li aria-current={step.at === 'address' ? 'step' : undefined}>Adresse</li>
          <li aria-current={step.at === 'fingerprint' ? 'step' : undefined}>Empreinte</li>
          <li aria-current={step.at === 'code' ? 'step' : undefined}>Code</li>
        </ol>
        {step.at === 'address' && (
          <div className="field">
            <label htmlFor="principal-address">Adresse du poste principal</label>
            <input id="principal-address" autoFocus value={address} onChange={e => setAddress(e.target.value)} autoComplete="off" spellCheck={false}
              aria-describedby="principal-address-hint"/>
            <span className="hint" id="principal-address-hint">Affichée dans Paramètres › Postes du poste principal, par exemple 192.168.1.10:47650.</span>
          </div>
        )}
        {(step.at === 'fingerprint' || step.at === 'code') && <p>Poste principal joint : <strong>{address.trim()}</strong></p>}
        {step.at === 'fingerprint' && (
          <>
            <p id="fingerprint-question">L’empreinte affichée sur le poste principal (Paramètres › Postes) est-elle <strong>exactement</strong> celle-ci ?</p>
            <Fingerprint value={step.fingerprint}/>
            <div className="actions">
              <button type="button" className="primary" onClick={() => { setProblem(''); setStep({at: 'code', fingerprint: step.fingerprint}) }}>Oui, elle est identique</button>
              <button type="button" onClick={() => { setStep({at: 'address'}); setProblem('Empreinte différente : ne tapez pas le code. Vérifiez l’adresse ; si elle est juste, un autre appareil répond à la place du poste principal : prévenez votre prestataire.') }}>
                Non, elle diffère
              </button>
            </div>
          </>
        )}
        {step.at === 'code' && (
          <div className="field">
            <label htmlFor="pairing-code">Code d’appairage</label>
            <input id="pairing-code" autoFocus value={code} onChange={e => setCode(e.target.value.toUpperCase())} autoComplete="off" spellCheck={false}
              aria-describedby="pairing-code-hint" className="pairing-input"/>
            <span className="hint" id="pairing-code-hint">Affiché sur le poste principal, valable une seule fois et quelques minutes, par exemple 7KQM-X4PD-2H.</span>
          </div>
        )}
        {step.at === 'paired' && (
          <>
            <p role="status" className="paired"><strong>{step.view.message}</strong></p>
            <p>Poste « {step.view.name} » ({step.view.role === 'borne' ? 'borne d’accueil' : 'guichet'}) de {step.view.office}.</p>
            <button type="button" className="primary" onClick={open} disabled={busy}>Ouvrir l’agenda du poste principal</button>
          </>
        )}
        {problem && <p className="error" role="alert">{problem}</p>}
        {step.at === 'address' && <button type="submit" className="primary" disabled={busy}>{busy ? 'Connexion…' : 'Continuer'}</button>}
        {step.at === 'code' && <button type="submit" className="primary" disabled={busy}>{busy ? 'Appairage…' : 'Appairer ce PC'}</button>}
        {onBack && step.at !== 'paired' && <p><button type="button" className="link" onClick={onBack}>Retour</button></p>}
      </form>
    </main>
  )
}
