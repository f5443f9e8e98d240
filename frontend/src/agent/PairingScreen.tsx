/**
 * Placeholder of the pairing screen of a poste secondaire (« Ce PC rejoint le poste principal du
 * bureau »): the postes' branch brings the real one, which replaces this file at merge.
 */
export function PairingScreen({onBack}: {onBack?: () => void}) {
  return (
    <main className="first-start" aria-labelledby="pairing-title">
      <h1 id="pairing-title">Rejoindre le poste principal du bureau</h1>
      <p>L’appairage de ce PC avec le poste principal se fait ici.</p>
      {onBack && <button type="button" onClick={onBack}>Retour</button>}
    </main>
  )
}
