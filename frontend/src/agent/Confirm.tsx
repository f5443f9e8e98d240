import {type ReactNode, useEffect, useId, useRef} from 'react'

/**
 * A modal question before an action that cannot be taken back (a deletion, a cancellation): the
 * focus goes to the safe choice, Échap closes it as « keep » does.
 */
export function ConfirmDialog({title, children, confirm, keep = 'Garder', onConfirm, onClose}: {
  title: string; children?: ReactNode; confirm: string; keep?: string; onConfirm: () => void; onClose: () => void
}) {
  const ref = useRef<HTMLDialogElement>(null)
  const safe = useRef<HTMLButtonElement>(null)
  const id = useId()
  // showModal focuses the first control (a reason's radio): the safe choice takes the focus.
  useEffect(() => {
    const d = ref.current
    if (d && !d.open) d.showModal()
    safe.current?.focus()
    return () => d?.close()
  }, [])
  return (
    <dialog ref={ref} className="confirm-dialog" aria-labelledby={id} onCancel={e => { e.preventDefault(); onClose() }}>
      <form method="dialog" onSubmit={e => { e.preventDefault(); onConfirm() }}>
        <h2 id={id}>{title}</h2>
        {children}
        <div className="actions">
          <button type="button" ref={safe} onClick={onClose}>{keep}</button>
          <button type="submit" className="danger">{confirm}</button>
        </div>
      </form>
    </dialog>
  )
}
