import {type FormEvent, useCallback, useEffect, useState} from 'react'
import {AddPoste, DisableServing, EnableServing, PostesStatus, RevokePoste} from '../../wailsjs/go/app/AgentService'
import type {app} from '../../wailsjs/go/models'
import {errorFor, Field, type FieldError} from '../shared/Field'
import {parseError} from '../shared/errors'
import {refusal, useApp} from './session'
import './postes.css'

// Paramètres › Postes (administrators, ADR 0010): this PC, the poste principal, serves the
// office's other PCs; the administrator reads them its fingerprint and address, adds a poste (a
// one-time code to type on the new PC) and revokes one. Go writes the states and the messages.

/** The fingerprint in two lines of eight groups of four, to read aloud and compare. */
export function Fingerprint({value, id}: {value: string; id?: string}) {
  const groups = value.split(' ')
  return (
    <p className="fingerprint" id={id} data-testid="fingerprint">
      <span>{groups.slice(0, 8).join(' ')}</span> <span>{groups.slice(8).join(' ')}</span>
    </p>
  )
}

export function PostesSection() {
  const {fail, version} = useApp()
  const [view, setView] = useState<app.PostesView>()
  const [listen, setListen] = useState('')
  const [busy, setBusy] = useState(false)
  const [notice, setNotice] = useState('')
  const [problem, setProblem] = useState('')
  const [revoking, setRevoking] = useState<app.PosteView>()
  const load = useCallback(() => PostesStatus().then(v => {
    setView(v)
    setListen(l => l || v.address || ':47650')
  }).catch(fail), [fail])
  // A poste pairing or calling changes the data file: its state and last call follow.
  useEffect(() => { load() }, [load, version])
  if (!view) return <p aria-busy="true">Chargement…</p>

  const act = (work: () => Promise<app.PostesView>, done: string) => {
    setBusy(true)
    setNotice('')
    setProblem('')
    work().then(v => { setView(v); setNotice(done) }).catch(refusal(fail, setProblem)).finally(() => setBusy(false))
  }
  const serve = (e: FormEvent) => {
    e.preventDefault()
    act(() => EnableServing(listen.trim()), 'Ce poste sert désormais les postes du bureau, et le fera à chaque démarrage.')
  }
  const revoke = (p: app.PosteView) => {
    setRevoking(undefined)
    act(() => RevokePoste(p.id), `« ${p.name} » est révoqué : il sera refusé dès son prochain appel.`)
  }

  return (
    <>
      <p role="status" className="flash">{notice}</p>
      {problem && <p className="error" role="alert">{problem}</p>}
      <section className="editor postes" aria-labelledby="serving-title">
        <h3 id="serving-title">Servir les postes du bureau</h3>
        <p className="hint">
          Ce PC est le poste principal : il garde l’agenda. Les autres PC du bureau (un deuxième guichet, la borne du hall) y
          travaillent par le réseau, une fois appairés.
        </p>
        {/* Two columns: the table of the postes stays on a 768 px high screen. */}
        <div className="serving-columns">
          <div>
            {view.serving ? (
              <>
                <p data-testid="serving-state">État : <strong>les postes sont servis</strong> ({view.address}).</p>
                <p>Sur un nouveau PC, tapez l’adresse de ce poste :</p>
                <ul className="addresses" data-testid="addresses">
                  {view.addresses.map(a => <li key={a}><code>{a}</code></li>)}
                  {view.addresses.length === 0 && <li>aucune adresse réseau trouvée : vérifiez que ce PC est relié au réseau du bureau.</li>}
                </ul>
                <div className="actions">
                  <button type="button" onClick={() => act(DisableServing, 'Les postes ne sont plus servis : ils trouvent le poste principal injoignable.')} disabled={busy}>
                    Arrêter de servir les postes
                  </button>
                </div>
              </>
            ) : (
              <form onSubmit={serve} noValidate>
                <p data-testid="serving-state">État : <strong>les postes ne sont pas servis</strong>.</p>
                <Field label="Adresse d’écoute" hint="« :47650 » : toutes les interfaces réseau de ce PC, port 47650 (celui que l’installateur ouvre dans le pare-feu).">
                  <input value={listen} onChange={e => setListen(e.target.value)} autoComplete="off" spellCheck={false}/>
                </Field>
                <div className="actions">
                  <button type="submit" className="primary" disabled={busy}>Servir les postes du bureau</button>
                </div>
              </form>
            )}
          </div>
          <div>
            <h4 id="fingerprint-title">Empreinte de ce poste principal</h4>
            <p className="hint">Le nouveau PC l’affiche avant l’appairage : elle doit être identique, groupe par groupe.</p>
            <Fingerprint value={view.fingerprint}/>
          </div>
        </div>
      </section>

      <section aria-labelledby="postes-title">
        <h3 id="postes-title">Postes appairés</h3>
        {view.postes.length === 0 ? <p>Aucun poste : ajoutez les autres PC du bureau ci-dessous.</p> : (
          <table className="list">
            <thead><tr><th scope="col">Poste</th><th scope="col">Rôle</th><th scope="col">Ordinateur</th><th scope="col">Dernier appel</th><th scope="col">État</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr></thead>
            <tbody>
              {view.postes.map(p => (
                <tr key={p.id}>
                  <td>{p.name}</td><td>{p.roleLabel}</td><td>{p.hostname || '—'}</td><td>{p.lastSeen || '—'}</td><td>{p.state}</td>
                  <td>{!p.revoked && <button type="button" className="danger" disabled={busy} onClick={() => setRevoking(p)}>Révoquer<span className="visually-hidden"> {p.name}</span></button>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {revoking && (
          <div className="notice confirm" role="group" aria-labelledby="revoke-title">
            <p id="revoke-title"><strong>Révoquer « {revoking.name} » ?</strong> Ce PC sera refusé dès son prochain appel ; pour le remettre en service, il faudra l’ajouter et l’appairer de nouveau.</p>
            <div className="actions">
              <button type="button" className="danger" onClick={() => revoke(revoking)}>Confirmer la révocation</button>
              <button type="button" onClick={() => setRevoking(undefined)}>Annuler</button>
            </div>
          </div>
        )}
        <AddPosteForm onAdded={load}/>
      </section>
    </>
  )
}

/** « Ajouter un poste »: a name and a role, then the one-time code, big, with its expiry. */
function AddPosteForm({onAdded}: {onAdded: () => void}) {
  const {fail} = useApp()
  const [open, setOpen] = useState(false)
  const [name, setName] = useState('')
  const [role, setRole] = useState('guichet')
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState('')
  const [errors, setErrors] = useState<FieldError[]>()
  const [invitation, setInvitation] = useState<app.PosteInvitation>()
  const close = () => { setOpen(false); setInvitation(undefined); setName(''); setProblem(''); setErrors(undefined) }

  if (invitation) {
    return (
      <section className="editor invitation" aria-labelledby="invitation-title">
        <h4 id="invitation-title">Code d’appairage de « {invitation.poste.name} » ({invitation.poste.roleLabel.toLocaleLowerCase('fr-FR')})</h4>
        <p className="pairing-code" data-testid="pairing-code">{invitation.code}</p>
        <p><strong>Une seule fois</strong>, {invitation.expiresText}.</p>
        <p className="hint">
          Sur le nouveau PC : ouvrez RDV Guichet, choisissez « Ce PC est un poste secondaire », tapez l’adresse de ce poste,
          vérifiez l’empreinte, puis ce code.
        </p>
        <div className="actions"><button type="button" className="primary" onClick={close}>Terminé</button></div>
      </section>
    )
  }
  if (!open) return <button type="button" onClick={() => setOpen(true)}>Ajouter un poste</button>
  const submit = (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    setProblem('')
    setErrors(undefined)
    AddPoste(name.trim(), role).then(inv => { setInvitation(inv); onAdded() }).catch(e => {
      const fields = parseError(e).fields
      if (fields?.length) setErrors(fields)
      else refusal(fail, setProblem)(e)
    }).finally(() => setBusy(false))
  }
  return (
    <form className="editor" onSubmit={submit} aria-labelledby="add-poste-title" noValidate>
      <h4 id="add-poste-title">Ajouter un poste</h4>
      {problem && <p className="error" role="alert">{problem}</p>}
      <Field label="Nom du poste" error={errorFor(errors, 'name')} hint="Par exemple « Guichet 2 », « Salle DR », « Borne du hall ».">
        <input value={name} onChange={e => setName(e.target.value)} autoComplete="off" required/>
      </Field>
      <fieldset>
        <legend>Rôle</legend>
        <label><input type="radio" name="role" value="guichet" checked={role === 'guichet'} onChange={() => setRole('guichet')}/> Guichet : les agents s’y connectent avec leur compte</label>
        <label><input type="radio" name="role" value="borne" checked={role === 'borne'} onChange={() => setRole('borne')}/> Borne d’accueil : prise de rendez-vous et arrivées des usagers</label>
      </fieldset>
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>Créer le code d’appairage</button>
        <button type="button" onClick={close}>Annuler</button>
      </div>
    </form>
  )
}
