import {type FormEvent, useState} from 'react'
import {SignIn as GoSignIn} from '../../wailsjs/go/app/AgentService'
import type {app} from '../../wailsjs/go/models'
import {parseError} from '../shared/errors'

/** The sign-in screen; on a demo data file it lists the demo's accounts and password. */
export function SignIn({startup, notice, onSignedIn}: {startup: app.Startup; notice: string; onSignedIn: (s: app.Startup) => void}) {
  const [login, setLogin] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState('')
  const [busy, setBusy] = useState(false)
  const submit = (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    GoSignIn(login, password).then(onSignedIn).catch(err => { setError(parseError(err).message); setBusy(false) })
  }
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
      </form>
    </main>
  )
}
