import {useEffect, useRef} from 'react'

/** Keyboard shortcuts, the same list as docs/guide/agent.md. */
export const shortcuts: [string, string][] = [
  ['t', 'aller à aujourd’hui'],
  ['n ou →', 'jour ou semaine suivante'],
  ['p ou ←', 'jour ou semaine précédente'],
  ['j / s', 'vue jour / vue semaine'],
  ['r', 'nouveau rendez-vous (« Trouver un créneau »)'],
  ['/', 'rechercher un usager'],
  ['Échap', 'fermer le panneau ou la fenêtre'],
  ['?', 'cette aide'],
]

export function Help({onClose}: {onClose: () => void}) {
  const ref = useRef<HTMLDialogElement>(null)
  useEffect(() => { ref.current?.showModal() }, [])
  return (
    <dialog ref={ref} className="help" aria-labelledby="help-title" onClose={onClose}>
      <h2 id="help-title">Raccourcis clavier</h2>
      <p>Toutes les actions sont accessibles au clavier : Tab et Maj+Tab passent d’un élément à l’autre, Entrée ou Espace les active. Dans l’agenda, un rendez-vous s’ouvre avec Entrée.</p>
      <p>Réserver au clavier : <kbd>r</kbd> (« Trouver un créneau »), ou Tab jusqu’au bouton « Réserver » en tête de la colonne d’un agenda puis Entrée ;
        choisissez le motif, puis « Chercher les prochains créneaux » propose les créneaux libres de cet agenda. Seul le clic sur un horaire libre de la grille demande la souris.</p>
      <table>
        <thead><tr><th scope="col">Touche</th><th scope="col">Action</th></tr></thead>
        <tbody>{shortcuts.map(([k, a]) => <tr key={k}><td><kbd>{k}</kbd></td><td>{a}</td></tr>)}</tbody>
      </table>
      <form method="dialog"><button className="primary" autoFocus>Fermer</button></form>
    </dialog>
  )
}
