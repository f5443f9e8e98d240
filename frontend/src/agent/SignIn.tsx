import {type FormEvent, useState} from 'react'
import {SignIn as GoSignIn} from '../../wailsjs/go/app/AgentService'
import type {app} from '../../wailsjs/go/models'
import {parseError} from '../shared/errors'
import {PairingScreen} from './PairingScreen'

/**
 * The sign-in screen; on a demo data file it lists the demo's accounts and password. A discreet
 * link opens the pairing screen, for a new PC that is to be a poste secondaire.
 */
export function SignIn({startup, notice, onSignedIn}: {startup: app.Startup; notice: string; onSignedIn: (s: app.Startup) => void}) {
  // --appairer (the installer's poste secondaire or borne) opens the pairing screen first.
  const [pairing, setPairing] = useState(startup.pairing)
  const [login, setLogin] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState('')
  const [busy, setBusy] = useState(false)
  const submit = (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    GoSignIn(login, password).then(onSignedIn).catch(err => { setError(parseError(err).message); setBusy(false) })
  }
  if (pairing) return <PairingScreen onBack={() => setPairing(false)}/>
  return (
    <main className="signin" style={{'--accent': startup.organisation.accentColor || undefined} as React.CSSProperties}>
      <form onSubmit={submit} aria-labelledby="signin-title">
        {startup.organisation.logoPng && <img className="logo" alt="" src={'data:image/png;base64,' + startup.organisation.logoPng}/>}
        <h1 id="signin-title">RDV Guichet</h1>
        <p className="org">{startup.organisation.name}</p>
        {notice && <p className="notice" role="status">{notice}</p>}
        <div className="field">
          <label htmlFor="login">Identifiant</label>
          <input id="login" autoComplete="username" autoFocus value={login} onChange={e => setLogin(e.target.value)} required/>
        </div>
        <div className="field">
          <label htmlFor="password">Mot de passe</label>
          <input id="password" type="password" autoComplete="current-password" value={password} onChange={e => setPassword(e.target.value)} required/>
        </div>
        {error && <p className="error" role="alert">{error}</p>}
        <button className="primary" type="submit" disabled={busy}>Se connecter</button>
        {startup.demo && (
          <p className="hint demo">
            Données de démonstration : identifiant <strong>{startup.demo.logins[0]}</strong> (administratrice)
            ou <strong>{startup.demo.logins[1]}</strong> (agent), mot de passe <strong>{startup.demo.password}</strong>.
          </p>
        )}
        <p className="hint secondary-link">
          <button type="button" className="link" onClick={() => setPairing(true)}>Ce PC est un poste secondaire ? Le relier au poste principal</button>
        </p>
      </form>
    </main>
  )
}
