import {expect, type Page} from '@playwright/test'
import AxeBuilder from '@axe-core/playwright'

// The demo agenda is created by app/e2eserve at 2026-03-10 08:45 Paris (a Tuesday: the DR's plage
// is open in the morning). Its accounts: claire (administratrice), karim (agent).
export const DEMO_PASSWORD = 'demo-guichet'

/** Signs in through the sign-in screen and waits for the agenda. */
export async function signIn(page: Page, login = 'claire') {
  // The Go service keeps its session between tests (one window, one agent): start signed out.
  await page.goto('/')
  await page.evaluate(() => (window as any).go.app.AgentService.SignOut())
  await page.reload()
  await page.getByLabel('Identifiant').fill(login)
  await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD)
  await page.getByRole('button', {name: 'Se connecter'}).click()
  await expect(page.locator('.rdv-event').first()).toBeVisible()
}

/** axe-core finds no violation on the current screen. */
export async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({page}).analyze()
  expect(results.violations.map(v => `${v.id}: ${v.help} — ${v.nodes.map(n => n.target.join(' ')).join(' | ')}`)).toEqual([])
}

/** Calls a bound Go method as the frontend does (window.go, served by app/bridge). */
export async function goCall<T>(page: Page, method: string, ...args: unknown[]): Promise<T> {
  return page.evaluate(([m, a]) => (window as any).go.app.AgentService[m as string](...(a as unknown[])), [method, args] as const) as Promise<T>
}

/**
 * The French message of a bound Go method that refuses, as the frontend shows it: Go rejects with
 * JSON {code, message, fields?} (frontend/src/shared/errors.ts); anything else is returned as is,
 * prefixed, so that an assertion on the message fails.
 */
export async function goError(page: Page, method: string, ...args: unknown[]): Promise<string> {
  return (await goRefusal(page, method, ...args)).message
}

/** The code and message of a bound Go method's refusal ({code: 'none'} when it succeeds). */
export async function goRefusal(page: Page, method: string, ...args: unknown[]): Promise<{code: string; message: string}> {
  return page.evaluate(async ([m, a]) => {
    try {
      await (window as any).go.app.AgentService[m as string](...(a as unknown[]))
      return {code: 'none', message: 'no error'}
    } catch (e) {
      try {
        const o = JSON.parse(String(e))
        return {code: String(o.code), message: String(o.message)}
      } catch {
        return {code: 'not JSON', message: 'not JSON: ' + String(e)}
      }
    }
  }, [method, args] as const)
}

/**
 * Takes a screenshot for the guide. Tests write it under test-results/ so that a test run leaves the
 * tree clean; `UPDATE_DOCS=1 npx playwright test` refreshes the copies in docs/guide/.
 */
export async function guideShot(page: Page, name: string) {
  await page.screenshot({path: process.env.UPDATE_DOCS ? `../docs/guide/${name}` : `test-results/guide/${name}`})
}

/** What the office's PCs promise: a change shows on the other screens within 2 s (issue 12). */
export const PROMISED_MS = 2000

/** Waits until the page's event stream from Go is connected. */
export async function eventsConnected(page: Page) {
  await page.waitForFunction(() => (window as unknown as {__bridgeEvents?: string}).__bridgeEvents === 'open')
}

/**
 * Milliseconds from now until text shows in the screen's main area, checked every 20 ms (not at
 * every frame: a page behind another window may get none); fails past the 2 s promised.
 */
export async function msUntilShown(page: Page, text: string): Promise<number> {
  const t0 = Date.now()
  await page.waitForFunction(s => !!document.querySelector('main')?.textContent?.includes(s), text, {polling: 20, timeout: PROMISED_MS})
  return Date.now() - t0
}

/** Calls a KioskService method in the kiosk's process listening on port, as its screens do. */
export async function kioskCall<T>(port: number, method: string, ...args: unknown[]): Promise<T> {
  const r = await fetch(`http://127.0.0.1:${port}/__bridge/call`, {
    method: 'POST', headers: {'Content-Type': 'application/json'},
    body: JSON.stringify({name: `app.KioskService.${method}`, args}),
  })
  const body = await r.json()
  if (!r.ok) throw new Error(`${method}: ${JSON.stringify(body.error)}`)
  return body.result as T
}
