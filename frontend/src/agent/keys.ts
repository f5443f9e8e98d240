/** Whether a key press goes to a text field (shortcuts are then left alone). */
export function isTyping(e: KeyboardEvent): boolean {
  const t = e.target
  return t instanceof HTMLInputElement || t instanceof HTMLSelectElement || t instanceof HTMLTextAreaElement ||
    e.altKey || e.ctrlKey || e.metaKey || !!document.querySelector('dialog[open]:not(.help)')
}
