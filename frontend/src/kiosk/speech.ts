// The kiosk's speech output (issue 15, #2; EN 301 549 5.1.3, « closed functionality »): the
// platform's speech synthesis (Web Speech API: WebView2 on Windows) reads the screen aloud in the
// kiosk's language. Where no voice speaks that language, the « Écouter » button is hidden.
//
// With a headset and a numeric keypad, the usager moves through the screen and hears each element
// (KEYPAD below, documented in docs/guide/borne.md).
import {useCallback, useEffect, useState} from 'react'
import type {LangInfo} from './i18n'

/** The numeric keypad's keys (KeyboardEvent.code) and what they do; digits and Enter keep their usual role. */
export const KEYPAD = {
  listen: 'NumpadMultiply', // * : reads the title, the choices and the focused element
  next: 'NumpadAdd', // + : the next element, read aloud
  previous: 'NumpadSubtract', // − : the previous element, read aloud
  back: 'NumpadDivide', // / : « Retour », or the home screen
} as const

function synth(): SpeechSynthesis | undefined {
  return typeof window !== 'undefined' && 'speechSynthesis' in window ? window.speechSynthesis : undefined
}

/** A voice for the language, or undefined. */
export function voiceFor(info: LangInfo): SpeechSynthesisVoice | undefined {
  return synth()?.getVoices().find(v => v.lang.toLowerCase().replace('_', '-').startsWith(info.voice))
}

/**
 * Says texts one after the other. interrupt cuts off what was being said (the usager asked for
 * something else); otherwise the texts wait their turn (a new screen's title, then its message).
 */
export function say(info: LangInfo, texts: string[], interrupt = false) {
  const s = synth()
  const voice = voiceFor(info)
  if (!s || !voice) return
  if (interrupt) s.cancel()
  for (const text of texts.map(t => t.replace(/\s+/g, ' ').trim()).filter(Boolean)) {
    const u = new SpeechSynthesisUtterance(text)
    u.voice = voice
    u.lang = voice.lang
    s.speak(u)
  }
}

/** Whether a voice speaks the language; follows the voices as the platform loads them. */
export function useVoice(info: LangInfo): boolean {
  const [, setVoices] = useState(0)
  useEffect(() => {
    const s = synth()
    if (!s) return
    const changed = () => setVoices(n => n + 1)
    s.addEventListener?.('voiceschanged', changed)
    return () => s.removeEventListener?.('voiceschanged', changed)
  }, [])
  return voiceFor(info) !== undefined
}

/** What an element is called, as it is read: its label, its text, or a field's label and value. */
export function nameOf(el: Element | null): string {
  if (!el || el === document.body) return ''
  const label = el.getAttribute('aria-label')
  if (el instanceof HTMLInputElement) {
    const own = el.labels?.[0]?.textContent ?? label ?? ''
    return [own, el.value].filter(Boolean).join(' : ')
  }
  // innerText: the lines of a button (« J'ai un rendez-vous », « Je signale mon arrivée ») stay apart.
  return label ?? (el instanceof HTMLElement ? el.innerText : el.textContent) ?? ''
}

/** What « Écouter » reads: the screen's title, its choices, then the focused element. */
export function screenText(root: HTMLElement): string[] {
  const title = nameOf(root.querySelector('h1'))
  const alerts = Array.from(root.querySelectorAll('[role="alert"], [role="status"]'), nameOf)
  const choices = Array.from(root.querySelectorAll<HTMLElement>('button:not(.key), input'))
    .filter(visible).map(nameOf)
  const focused = document.activeElement && root.contains(document.activeElement) ? [nameOf(document.activeElement)] : []
  return [title, ...alerts, ...choices, ...focused]
}

const visible = (el: HTMLElement) => el.offsetParent !== null || el.getClientRects().length > 0

/** The elements the keypad moves through, in reading order: every button (the on-screen keys too) and field. */
export function keypadStops(root: HTMLElement): HTMLElement[] {
  return Array.from(root.querySelectorAll<HTMLElement>('button:not([disabled]), input:not([disabled])')).filter(visible)
}

/** The keypad's handler: moves the focus and reads what it lands on. */
export function useKeypad(root: () => HTMLElement | null, onListen: () => void, onBack: () => void) {
  return useCallback((e: KeyboardEvent) => {
    const el = root()
    if (!el) return
    if (e.code === KEYPAD.listen) onListen()
    else if (e.code === KEYPAD.back) onBack()
    else if (e.code === KEYPAD.next || e.code === KEYPAD.previous) {
      const stops = keypadStops(el)
      const i = stops.indexOf(document.activeElement as HTMLElement)
      const next = e.code === KEYPAD.next
      const to = i < 0 ? (next ? 0 : stops.length - 1) : (i + (next ? 1 : -1) + stops.length) % stops.length
      stops[to]?.focus()
    } else return
    e.preventDefault()
  }, [root, onListen, onBack])
}
